package example.proactivecare.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validation of what is stored, against the base specification and the profiles the server holds. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "proactivecare.validation.enabled", matchIfMissing = true)
public class ValidationConfig {

    @Bean
    public ResourceValidatingInterceptor resourceValidatingInterceptor(
            FhirContext fhirContext, IValidationSupport validationSupport, IInterceptorService interceptors) {
        FhirInstanceValidator validator = new FhirInstanceValidator(validationSupport);
        // GP systems send UK Core and supplier extensions the server does not hold definitions for.
        validator.setAnyExtensionsAllowed(true);
        validator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        ResourceValidatingInterceptor interceptor = new ResourceValidatingInterceptor(fhirContext, validator);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
