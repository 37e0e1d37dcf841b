package example.proactivecare.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import example.proactivecare.conformance.ConformanceResources;
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
    private final IValidationSupport validationSupport;

    public ResourceValidator(
            FhirContext fhirContext, IValidatorModule validatorModule, IValidationSupport validationSupport) {
        this.fhirContext = fhirContext;
        this.validationSupport = validationSupport;
        // A FhirValidator is thread-safe: one serves every write.
        this.validator = fhirContext.newValidator();
        this.validator.registerValidatorModule(validatorModule);
    }

    @Override
    public void check(IBaseResource resource) {
        checkProjectProfilesAreKnown(resource);
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

    /** A profile of this project's that the server does not hold is a mistake (a typo, or content not installed). */
    private void checkProjectProfilesAreKnown(IBaseResource resource) {
        var profiles = resource.getMeta().getProfile();
        for (int i = 0; i < profiles.size(); i++) {
            String url = profiles.get(i).getValueAsString();
            if (url != null
                    && url.startsWith(ConformanceResources.CANONICAL_BASE + "/")
                    && validationSupport.fetchStructureDefinition(url) == null) {
                String type = fhirContext.getResourceType(resource);
                String where = type + ".meta.profile[" + i + "]";
                OperationOutcome outcome = new OperationOutcome();
                outcome.addIssue()
                        .setSeverity(IssueSeverity.ERROR)
                        .setCode(IssueType.NOTFOUND)
                        .setDiagnostics("This server has no profile " + url)
                        .addExpression(where);
                throw new UnprocessableEntityException(where + ": this server has no profile " + url, outcome);
            }
        }
    }
}
