package example.proactivecare.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Installs the project's own conformance content into the server. */
@Configuration(proxyBeanMethods = false)
public class ConformanceConfig {

    @Bean
    ConformanceInstaller conformanceInstaller(FhirContext fhirContext, DaoRegistry daoRegistry) {
        return new ConformanceInstaller(fhirContext, daoRegistry);
    }
}
