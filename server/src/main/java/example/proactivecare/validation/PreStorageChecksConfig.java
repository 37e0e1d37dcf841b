package example.proactivecare.validation;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import example.proactivecare.benchmark.PlainHapiBaseline;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Registers the features' {@link PreStorageCheck}s with HAPI's storage layer. */
@Configuration(proxyBeanMethods = false)
public class PreStorageChecksConfig {

    /** Not in the {@code plain-hapi} benchmark baseline, which stores what HAPI alone accepts. */
    @Bean
    @Profile("!" + PlainHapiBaseline.PROFILE)
    public PreStorageChecksInterceptor preStorageChecksInterceptor(
            ObjectProvider<PreStorageCheck> checks, IInterceptorService interceptors) {
        PreStorageChecksInterceptor interceptor =
                new PreStorageChecksInterceptor(checks.orderedStream().toList());
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
