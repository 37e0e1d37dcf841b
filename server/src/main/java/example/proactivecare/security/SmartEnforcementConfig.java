package example.proactivecare.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.fhir.FhirServerCustomizer;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * SMART scopes enforced on the FHIR endpoint by HAPI's interceptors: searches narrowed to what the token reaches
 * ({@link SmartSearchNarrowing}), then every request and every resource it shows or writes checked ({@link
 * SmartAuthorizationInterceptor}). Which scope each operation needs is declared in {@link OperationScopes}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "proactivecare.security", name = "enabled", matchIfMissing = true)
public class SmartEnforcementConfig {

    @Bean
    SmartRequests smartRequests(SecurityProperties properties) {
        return new SmartRequests(properties.claims());
    }

    @Bean
    UserReach userReach(DaoRegistry daos) {
        return new UserReach(daos, Clock.systemUTC());
    }

    @Bean
    OperationScopes operationScopes() {
        return new OperationScopes(OperationScopes.DECLARED);
    }

    @Bean
    FhirServerCustomizer smartEnforcement(
            SmartRequests requests, UserReach users, OperationScopes operations, DaoRegistry daos) {
        return server -> {
            PatientReach reach = new PatientReach(users, requests);
            server.registerInterceptor(reach);
            server.registerInterceptor(new SmartSearchNarrowing(requests, reach));
            ExportJobOwners exports = new ExportJobOwners(requests);
            server.registerInterceptor(exports);
            server.registerInterceptor(new SmartAuthorizationInterceptor(requests, operations, reach, daos, exports));
            server.registerInterceptor(new ForbiddenOutcomes());
        };
    }
}
