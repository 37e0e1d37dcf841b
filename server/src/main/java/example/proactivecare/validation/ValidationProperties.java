package example.proactivecare.validation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled whether every stored resource is validated against the base FHIR specification and its declared
 *     profiles; errors answer 422 and nothing is stored
 */
@ConfigurationProperties(prefix = "proactivecare.validation")
public record ValidationProperties(Boolean enabled) {

    public ValidationProperties {
        enabled = enabled == null ? Boolean.TRUE : enabled;
    }
}
