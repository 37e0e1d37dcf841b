package example.proactivecare.cohort;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import example.proactivecare.async.AsyncResponder;
import java.io.IOException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * The cohort operations, as their OperationDefinitions in {@code profiles/} define them: {@code Group/$frequent-attenders}
 * (GET previews, POST stores; {@code Prefer: respond-async} for long runs) and {@code Group/[id]/$review-member}. This
 * class only binds and checks parameters; {@link CohortService} does the work.
 */
class CohortOperationsProvider {

    private final CohortService cohorts;
    private final AsyncResponder responder;
    private final CohortAnswerJson answerJson;

    CohortOperationsProvider(CohortService cohorts, AsyncResponder responder, CohortAnswerJson answerJson) {
        this.cohorts = cohorts;
        this.responder = responder;
        this.answerJson = answerJson;
    }

    @Operation(name = "$frequent-attenders", typeName = "Group", idempotent = true, manualResponse = true)
    public void frequentAttenders(
            @OperationParam(name = "cohort", min = 1, max = 1) CodeType cohort,
            @OperationParam(name = "scope", max = 1) Reference scope,
            @OperationParam(name = "periodEnd", max = 1) DateType periodEnd,
            @OperationParam(name = "periodMonths", max = 1) IntegerType periodMonths,
            @OperationParam(name = "minGpAttendances", max = 1) IntegerType minGpAttendances,
            @OperationParam(name = "minUnplannedAdmissions", max = 1) IntegerType minUnplannedAdmissions,
            @OperationParam(name = "minMedications", max = 1) IntegerType minMedications,
            @OperationParam(name = "minEdAttendances", max = 1) IntegerType minEdAttendances,
            @OperationParam(name = "minUrgentCareContacts", max = 1) IntegerType minUrgentCareContacts,
            @OperationParam(name = "minLongTermConditions", max = 1) IntegerType minLongTermConditions,
            @OperationParam(name = "ageOver", max = 1) IntegerType ageOver,
            @OperationParam(name = "persist", max = 1) BooleanType persist,
            ServletRequestDetails request)
            throws IOException {
        boolean get = request.getRequestType() == RequestTypeEnum.GET;
        boolean store = persist == null || persist.getValue() == null ? !get : persist.getValue();
        if (get && store) {
            throw new InvalidRequestException(
                    "Parameter persist: a GET request does not change the server; POST to store the cohort Group");
        }
        CohortRequest.Thresholds d = CohortRequest.Thresholds.DEFAULTS;
        CohortRequest cohortRequest = new CohortRequest(
                required(cohort),
                scope(scope),
                WindowParameters.periodEnd(periodEnd),
                WindowParameters.periodMonths(periodMonths),
                new CohortRequest.Thresholds(
                        threshold("minGpAttendances", minGpAttendances, d.minGpAttendances()),
                        threshold("minUnplannedAdmissions", minUnplannedAdmissions, d.minUnplannedAdmissions()),
                        threshold("minMedications", minMedications, d.minMedications()),
                        threshold("minEdAttendances", minEdAttendances, d.minEdAttendances()),
                        threshold("minUrgentCareContacts", minUrgentCareContacts, d.minUrgentCareContacts()),
                        threshold("minLongTermConditions", minLongTermConditions, d.minLongTermConditions()),
                        threshold("ageOver", ageOver, d.ageOver())));
        cohorts.check(cohortRequest, request);
        boolean async = AsyncResponder.wantsAsync(request);
        RequestDetails worker = async ? new SystemRequestDetails() : request;
        responder.respond(
                request,
                "$frequent-attenders " + cohortRequest.kind(),
                progress -> result(cohorts.derive(cohortRequest, store, worker)),
                answerJson);
    }

    @Operation(name = "$review-member", typeName = "Group", idempotent = false)
    public Group reviewMember(
            @IdParam IdType group,
            @OperationParam(name = "patient", min = 1, max = 1) Reference patient,
            @OperationParam(name = "decision", min = 1, max = 1) CodeType decision,
            @OperationParam(name = "reason", max = 1) CodeableConcept reason,
            @OperationParam(name = "decidedBy", min = 1, max = 1) Reference decidedBy,
            RequestDetails request) {
        if (patient == null || decision == null || decision.getValue() == null || decidedBy == null) {
            throw new InvalidRequestException("Parameters patient, decision and decidedBy are required");
        }
        return cohorts.review(group, patient, decision.getValue(), reason, decidedBy, request);
    }

    private static Parameters result(CohortService.Derivation derivation) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("return").setResource(derivation.group());
        parameters.addParameter("entered", new IntegerType(derivation.entered()));
        parameters.addParameter("left", new IntegerType(derivation.left()));
        parameters.addParameter("stayed", new IntegerType(derivation.stayed()));
        return parameters;
    }

    private static String required(CodeType cohort) {
        if (cohort == null || cohort.getValue() == null || cohort.getValue().isBlank()) {
            throw new InvalidRequestException("Parameter cohort is required");
        }
        return cohort.getValue();
    }

    private static String scope(Reference scope) {
        if (scope == null || scope.getReference() == null) {
            return null;
        }
        IdType id = new IdType(scope.getReference());
        if (!"Organization".equals(id.getResourceType()) || !id.hasIdPart() || id.isAbsolute()) {
            throw new InvalidRequestException("Parameter scope: '" + scope.getReference()
                    + "' is not a reference to an Organization on this server (such as Organization/123)");
        }
        return id.getIdPart();
    }

    private static int threshold(String name, IntegerType value, int fallback) {
        if (value == null || value.getValue() == null) {
            return fallback;
        }
        if (value.getValue() < 1) {
            throw new InvalidRequestException("Parameter " + name + ": " + value.getValue() + " is not 1 or more");
        }
        return value.getValue();
    }
}
