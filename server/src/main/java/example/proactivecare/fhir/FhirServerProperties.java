package example.proactivecare.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the FHIR endpoint behaves towards clients.
 *
 * @param defaultPageSize search results per page when the client gives no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param validateRequests whether request bodies are validated against the base FHIR specification (and declared
 *     profiles) before anything is stored; errors answer 422
 * @param serverAddress the public base URL, when the server sits behind a proxy; empty means "as the request came in"
 */
@ConfigurationProperties(prefix = "proactivecare.fhir")
public record FhirServerProperties(
        Integer defaultPageSize, Integer maxPageSize, Boolean validateRequests, String serverAddress) {

    public FhirServerProperties {
        defaultPageSize = defaultPageSize == null ? 50 : defaultPageSize;
        maxPageSize = maxPageSize == null ? 1000 : maxPageSize;
        validateRequests = validateRequests == null ? Boolean.TRUE : validateRequests;
        serverAddress = serverAddress == null ? "" : serverAddress;
    }
}
