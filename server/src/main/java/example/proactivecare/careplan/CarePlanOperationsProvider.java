package example.proactivecare.careplan;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import example.proactivecare.async.AsyncResponder;
import java.io.IOException;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The care plan operations, as their OperationDefinitions in {@code profiles/} define them: {@code
 * Group/[id]/$generate-care-plans} and {@code Patient/[id]/$generate-care-plan} (POST; {@code Prefer: respond-async}
 * for a large cohort). This class only binds and checks parameters; {@link CarePlanService} does the work.
 */
class CarePlanOperationsProvider {

    private final CarePlanService plans;
    private final AsyncResponder responder;

    CarePlanOperationsProvider(CarePlanService plans, AsyncResponder responder) {
        this.plans = plans;
        this.responder = responder;
    }

    @Operation(name = "$generate-care-plans", typeName = "Group", idempotent = false, manualResponse = true)
    public void generateCarePlans(
            @IdParam IdType group,
            @OperationParam(name = "start", max = 1) DateType start,
            @OperationParam(name = "checkInIntervalWeeks", max = 1) IntegerType checkInIntervalWeeks,
            @OperationParam(name = "reviewAfterWeeks", max = 1) IntegerType reviewAfterWeeks,
            @OperationParam(name = "onlyConfirmed", max = 1) BooleanType onlyConfirmed,
            @OperationParam(name = "dryRun", max = 1) BooleanType dryRun,
            ServletRequestDetails request)
            throws IOException {
        GenerationRequest generation =
                GenerationRequest.of(start, checkInIntervalWeeks, reviewAfterWeeks, onlyConfirmed, dryRun);
        List<CarePlanService.Member> members = plans.cohortMembers(group, request);
        RequestDetails worker = AsyncResponder.wantsAsync(request) ? new SystemRequestDetails() : request;
        responder.respond(
                request,
                "$generate-care-plans Group/" + group.getIdPart(),
                progress -> result(plans.generate(
                        members,
                        generation,
                        worker,
                        stored -> progress.report(stored + " of " + members.size() + " members' plans stored"))));
    }

    @Operation(name = "$generate-care-plan", typeName = "Patient", idempotent = false, manualResponse = true)
    public void generateCarePlan(
            @IdParam IdType patient,
            @OperationParam(name = "cohort", max = 1) Reference cohort,
            @OperationParam(name = "start", max = 1) DateType start,
            @OperationParam(name = "checkInIntervalWeeks", max = 1) IntegerType checkInIntervalWeeks,
            @OperationParam(name = "reviewAfterWeeks", max = 1) IntegerType reviewAfterWeeks,
            @OperationParam(name = "dryRun", max = 1) BooleanType dryRun,
            ServletRequestDetails request)
            throws IOException {
        GenerationRequest generation =
                GenerationRequest.of(start, checkInIntervalWeeks, reviewAfterWeeks, null, dryRun);
        CarePlanService.Member member = plans.patientMember(patient, cohort(cohort), request);
        RequestDetails worker = AsyncResponder.wantsAsync(request) ? new SystemRequestDetails() : request;
        responder.respond(
                request,
                "$generate-care-plan Patient/" + patient.getIdPart(),
                progress -> result(plans.generate(List.of(member), generation, worker, stored -> {})));
    }

    private static IdType cohort(Reference cohort) {
        if (cohort == null || cohort.getReference() == null) {
            return null;
        }
        IdType id = new IdType(cohort.getReference());
        if (!"Group".equals(id.getResourceType()) || !id.hasIdPart() || id.isAbsolute()) {
            throw new InvalidRequestException("Parameter cohort: '" + cohort.getReference()
                    + "' is not a reference to a Group on this server (such as Group/123)");
        }
        return id;
    }

    static Parameters result(CarePlanService.Result result) {
        Parameters parameters = new Parameters();
        result.outcomes().stream()
                .filter(CarePlanService.Outcome::written)
                .forEach(o -> parameters.addParameter("plan", new Reference("CarePlan/" + o.plan())));
        result.outcomes().stream()
                .filter(o -> o.lead() == null)
                .forEach(o -> parameters.addParameter("awaitingCapacity", new Reference("Patient/" + o.patient())));
        result.alreadyActive().forEach(p -> parameters.addParameter("alreadyActive", new Reference("Patient/" + p)));
        for (CarePlanService.Outcome outcome : result.outcomes()) {
            Parameters.ParametersParameterComponent allocation =
                    parameters.addParameter().setName("allocation");
            allocation.addPart().setName("patient").setValue(new Reference("Patient/" + outcome.patient()));
            allocation.addPart().setName("status").setValue(new CodeType(outcome.status()));
            allocation.addPart().setName("riskType").setValue(new CodeType(outcome.riskType().code));
            if (outcome.lead() != null) {
                allocation.addPart().setName("lead").setValue(new Reference("PractitionerRole/" + outcome.lead()));
            }
            if (outcome.plan() != null) {
                allocation.addPart().setName("plan").setValue(new Reference("CarePlan/" + outcome.plan()));
            }
        }
        for (CarePlanService.Skipped skipped : result.skipped()) {
            Parameters.ParametersParameterComponent part =
                    parameters.addParameter().setName("skipped");
            part.addPart().setName("patient").setValue(new Reference("Patient/" + skipped.patient()));
            part.addPart().setName("reason").setValue(new StringType(skipped.reason()));
        }
        return parameters;
    }
}
