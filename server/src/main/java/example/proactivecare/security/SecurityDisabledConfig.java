package example.proactivecare.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code proactivecare.security.enabled=false}: for local experiments only. Every request is let in with no token, no
 * scope is checked and no authorization server runs; the server says so loudly when it starts and when it is ready.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "proactivecare.security", name = "enabled", havingValue = "false")
public class SecurityDisabledConfig {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityDisabledConfig.class);

    SecurityDisabledConfig() {
        warn();
    }

    @Bean
    SecurityFilterChain everythingOpen(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        warn();
    }

    private static void warn() {
        LOG.warn("**************************************************************************************");
        LOG.warn("SECURITY IS OFF (proactivecare.security.enabled=false): every FHIR request is served");
        LOG.warn("WITHOUT A TOKEN and NO SCOPE IS CHECKED. Anyone who can reach this port can read and");
        LOG.warn("change every patient's record. For local experiments only; never with real data.");
        LOG.warn("**************************************************************************************");
    }
}
