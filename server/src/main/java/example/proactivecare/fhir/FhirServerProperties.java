package example.proactivecare.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the FHIR endpoint behaves towards clients.
 *
 * @param defaultPageSize search results per page when the client gives no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param serverAddress the public base URL, when the server sits behind a proxy; empty means "as the request came in"
 */
@ConfigurationProperties(prefix = "proactivecare.fhir")
public record FhirServerProperties(Integer defaultPageSize, Integer maxPageSize, String serverAddress) {

    public FhirServerProperties {
        defaultPageSize = defaultPageSize == null ? 50 : defaultPageSize;
        maxPageSize = maxPageSize == null ? 1000 : maxPageSize;
        serverAddress = serverAddress == null ? "" : serverAddress;
    }
}
