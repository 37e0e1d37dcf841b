package example.proactivecare.identifiers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Enforces England's identifier rules on everything the server stores. */
@Configuration(proxyBeanMethods = false)
public class IdentifiersConfig {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public NhsNumberCheck nhsNumberCheck() {
        return new NhsNumberCheck();
    }
}
