package example.proactivecare.async;

import ca.uhn.fhir.context.FhirContext;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The status URLs of asynchronous requests ({@code Content-Location} of their 202 answer).
 *
 * <ul>
 *   <li>while the work runs: 202, with {@code X-Progress} saying how far it has got and {@code Retry-After};
 *   <li>when it is done: 200 with a {@code batch-response} Bundle whose one entry holds the operation's result;
 *   <li>when it failed: 500 with an OperationOutcome; for an id the server does not know (or no longer keeps): 404.
 * </ul>
 *
 * {@code DELETE} forgets the job (202). A job belongs to whoever started it (the token's subject): to anyone else its
 * status URL answers 404, as for an unknown job.
 */
@RestController
class AsyncStatusController {

    static final String PATH = AsyncJobs.STATUS_PATH;
    private static final String FHIR_JSON = "application/fhir+json;charset=utf-8";

    private final AsyncJobs jobs;
    private final FhirContext fhirContext;

    AsyncStatusController(AsyncJobs jobs, FhirContext fhirContext) {
        this.jobs = jobs;
        this.fhirContext = fhirContext;
    }

    @GetMapping(PATH + "{id}")
    ResponseEntity<String> status(@PathVariable String id, Principal principal) {
        return find(id, principal)
                .<ResponseEntity<String>>map(job -> switch (job.state()) {
                    case RUNNING ->
                        ResponseEntity.status(HttpStatus.ACCEPTED)
                                .header("X-Progress", job.progress())
                                .header("Retry-After", "2")
                                .<String>build();
                    case DONE -> fhir(HttpStatus.OK, completed(job));
                    case FAILED ->
                        fhir(
                                HttpStatus.INTERNAL_SERVER_ERROR,
                                outcome(job.description() + " failed: " + job.failure()));
                })
                .orElseGet(() -> fhir(HttpStatus.NOT_FOUND, outcome("No asynchronous request " + id + " is known")));
    }

    @DeleteMapping(PATH + "{id}")
    ResponseEntity<String> forget(@PathVariable String id, Principal principal) {
        return find(id, principal).isPresent() && jobs.forget(id)
                ? ResponseEntity.status(HttpStatus.ACCEPTED).build()
                : fhir(HttpStatus.NOT_FOUND, outcome("No asynchronous request " + id + " is known"));
    }

    /** The job, if it belongs to {@code principal}: anyone else is told that no such job is known. */
    private Optional<AsyncJobs.Job> find(String id, Principal principal) {
        String asking = principal == null ? null : principal.getName();
        return jobs.find(id).filter(job -> Objects.equals(job.owner(), asking));
    }

    private static Bundle completed(AsyncJobs.Job job) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        var entry = bundle.addEntry().setResource((Resource) job.result());
        entry.getResponse().setStatus("200 OK");
        return bundle;
    }

    private static OperationOutcome outcome(String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(diagnostics);
        return outcome;
    }

    private ResponseEntity<String> fhir(HttpStatus status, Resource body) {
        return ResponseEntity.status(status)
                .header("Content-Type", FHIR_JSON)
                .body(fhirContext.newJsonParser().setPrettyPrint(true).encodeResourceToString(body));
    }
}
