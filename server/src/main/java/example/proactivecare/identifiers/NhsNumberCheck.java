package example.proactivecare.identifiers;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import example.proactivecare.validation.PreStorageCheck;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;

/** Refuses to store a Patient whose NHS number identifier is malformed or fails its check digit. */
public class NhsNumberCheck implements PreStorageCheck {

    @Override
    public void check(IBaseResource resource) {
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
