package example.proactivecare.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Refusals answered before HAPI sees the request (no token, a bad one): an OperationOutcome, as FHIR clients expect. */
final class OperationOutcomes {

    private OperationOutcomes() {}

    static void write(
            FhirContext fhir,
            HttpServletResponse response,
            int status,
            OperationOutcome.IssueType code,
            String diagnostics)
            throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(code)
                .setDiagnostics(diagnostics);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=utf-8");
        response.getOutputStream()
                .write(fhir.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8));
    }
}
