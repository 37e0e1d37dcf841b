package example.proactivecare.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Validation of what is stored, against the base specification and the profiles the server holds. Switched off by
 * {@code proactivecare.validation.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "proactivecare.validation.enabled", matchIfMissing = true)
public class ValidationConfig {

    /** After the cheaper, more specific checks, so that their messages come first. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    public ResourceValidator resourceValidator(FhirContext fhirContext, IValidationSupport validationSupport) {
        FhirInstanceValidator validator = new ReusingInstanceValidator(validationSupport);
        // GP systems send UK Core and supplier extensions the server does not hold definitions for.
        validator.setAnyExtensionsAllowed(true);
        validator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        // They also claim UK Core profiles (and Synthea US Core ones): a profile from a guide the server does not
        // hold is a warning, and the resource is checked against the base specification. An unknown profile under
        // the project's own canonical base is still an error (ResourceValidator).
        validator.setErrorForUnknownProfiles(false);
        return new ResourceValidator(fhirContext, validator, validationSupport);
    }
}
