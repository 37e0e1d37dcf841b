package example.proactivecare.identifiers;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Refuses to store a Patient whose NHS number identifier is malformed or fails its check digit.
 *
 * <p>It runs just before storage, so it covers plain writes, conditional writes and every entry of a transaction (where
 * it rolls back the whole bundle).
 */
@Interceptor
public class NhsNumberValidatingInterceptor {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource oldResource, IBaseResource newResource) {
        check(newResource);
    }

    private void check(IBaseResource resource) {
        if (!(resource instanceof Patient patient)) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        List<Identifier> identifiers = patient.getIdentifier();
        for (int i = 0; i < identifiers.size(); i++) {
            Identifier identifier = identifiers.get(i);
            if (!NhsNumber.SYSTEM.equals(identifier.getSystem())) {
                continue;
            }
            String problem = NhsNumber.problemWith(identifier.getValue());
            if (problem != null) {
                outcome.addIssue()
                        .setSeverity(IssueSeverity.ERROR)
                        .setCode(IssueType.INVALID)
                        .setDiagnostics(problem + " (identifier system " + NhsNumber.SYSTEM + ")")
                        .addExpression("Patient.identifier[" + i + "].value");
            }
        }
        if (outcome.hasIssue()) {
            String where = patient.getIdElement().hasIdPart()
                    ? "Patient/" + patient.getIdElement().getIdPart()
                    : "Patient";
            throw new UnprocessableEntityException(
                    where + ": " + outcome.getIssueFirstRep().getDiagnostics(), outcome);
        }
    }
}
