package example.proactivecare.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Validates every resource against the base FHIR R4 specification, and the profiles it declares, just before it is
 * stored.
 *
 * <p>Validating at storage rather than on the request body means a transaction is checked entry by entry, once its
 * internal references are resolved, and any failure rolls the whole bundle back. It also avoids the validator's Bundle
 * rules, which wrongly require a {@code fullUrl} on POST entries (R4 allows it to be empty there).
 */
public class ResourceValidator implements PreStorageCheck {

    private final FhirContext fhirContext;
    private final FhirValidator validator;

    public ResourceValidator(FhirContext fhirContext, IValidatorModule validatorModule) {
        this.fhirContext = fhirContext;
        // A FhirValidator is thread-safe: one serves every write.
        this.validator = fhirContext.newValidator();
        this.validator.registerValidatorModule(validatorModule);
    }

    @Override
    public void check(IBaseResource resource) {
        List<SingleValidationMessage> errors = validator.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
        if (errors.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        for (SingleValidationMessage error : errors) {
            var issue = outcome.addIssue()
                    .setSeverity(
                            error.getSeverity() == ResultSeverityEnum.FATAL ? IssueSeverity.FATAL : IssueSeverity.ERROR)
                    .setCode(IssueType.INVALID)
                    .setDiagnostics(error.getMessage());
            if (error.getLocationString() != null) {
                issue.addExpression(error.getLocationString());
            }
        }
        String type = fhirContext.getResourceType(resource);
        throw new UnprocessableEntityException(
                type + " is not valid FHIR R4: " + errors.get(0).getLocationString() + ": "
                        + errors.get(0).getMessage(),
                outcome);
    }
}
