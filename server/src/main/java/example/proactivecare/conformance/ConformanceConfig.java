package example.proactivecare.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.benchmark.PlainHapiBaseline;
import example.proactivecare.fhir.FhirServerCustomizer;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The project's own conformance content: installed into the server at start-up, and declared in its
 * CapabilityStatement.
 */
@Configuration(proxyBeanMethods = false)
public class ConformanceConfig {

    @Bean
    ConformanceContent conformanceContent(FhirContext fhirContext) {
        return new ConformanceContent(ConformanceResources.load(fhirContext));
    }

    @Bean
    @Profile("!" + PlainHapiBaseline.PROFILE)
    ConformanceInstaller conformanceInstaller(
            ConformanceContent content, DaoRegistry daoRegistry, IValidationSupport validationSupport) {
        return new ConformanceInstaller(content, daoRegistry, validationSupport);
    }

    @Bean
    FhirServerCustomizer declaredOperations(ConformanceContent content) {
        return server -> server.registerInterceptor(
                new DeclaredOperationsInterceptor(content.resources(OperationDefinition.class)));
    }
}
