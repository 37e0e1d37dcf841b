package example.proactivecare.errors;

import example.proactivecare.fhir.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How failures reach the client: as FHIR OperationOutcomes with the right 4xx status. */
@Configuration(proxyBeanMethods = false)
public class ErrorsConfig {

    @Bean
    public FhirServerCustomizer clientErrorTranslation() {
        return server -> server.registerInterceptor(new ClientErrorInterceptor());
    }
}
