package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.benchmark.cql.ClinicalReasoningConfig;
import example.proactivecare.support.FhirServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code proactivecare.security.enabled=false}: every request is served without a token, and there is no authorization
 * server. (The same configuration as {@code CqlCohortBaselineTest}, so the same server: no context of its own.)
 */
@ActiveProfiles(ClinicalReasoningConfig.PROFILE)
@TestPropertySource(
        properties = {"proactivecare.test.database=clinical-reasoning", "proactivecare.security.enabled=false"})
class SecurityDisabledTest extends FhirServerTest {

    private final HttpClient plain = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return plain.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestWithoutATokenIsServed() throws Exception {
        assertThat(get(baseUrl() + "/Patient?_count=1").statusCode()).isEqualTo(200);
    }

    @Test
    void thereIsNoAuthorizationServer() throws Exception {
        assertThat(get(rootUrl() + "/oauth2/jwks").statusCode()).isEqualTo(404);
        assertThat(get(baseUrl() + "/.well-known/smart-configuration").statusCode())
                .isGreaterThanOrEqualTo(400);
    }
}
