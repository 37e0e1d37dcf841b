package example.proactivecare.validation;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the features' {@link PreStorageCheck}s with HAPI's storage layer. */
@Configuration(proxyBeanMethods = false)
public class PreStorageChecksConfig {

    @Bean
    public PreStorageChecksInterceptor preStorageChecksInterceptor(
            ObjectProvider<PreStorageCheck> checks, IInterceptorService interceptors) {
        PreStorageChecksInterceptor interceptor =
                new PreStorageChecksInterceptor(checks.orderedStream().toList());
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
