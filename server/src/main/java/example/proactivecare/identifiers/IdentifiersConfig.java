package example.proactivecare.identifiers;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Enforces England's identifier rules on everything the server stores. */
@Configuration(proxyBeanMethods = false)
public class IdentifiersConfig {

    @Bean
    public NhsNumberValidatingInterceptor nhsNumberValidatingInterceptor(IInterceptorService interceptors) {
        NhsNumberValidatingInterceptor interceptor = new NhsNumberValidatingInterceptor();
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
