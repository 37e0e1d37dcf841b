package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole server with another OpenID Connect issuer, set by configuration alone ({@code issuer-uri}, and the claim
 * that issuer lists scopes in): it is then only a resource server. FHIR requests with that issuer's tokens are
 * answered; tokens it did not sign are refused; discovery names its endpoints. The issuer is a {@link TestIssuer}, started
 * before the server.
 */
@TestPropertySource(properties = "proactivecare.test.database=external-issuer")
class ExternalIssuerServerTest extends FhirServerTest {

    private static final TestIssuer ISSUER = TestIssuer.start("ics", "ics-1");
    private static final RSAKey KEY = ISSUER.key();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void externalIssuer(DynamicPropertyRegistry registry) {
        registry.add("proactivecare.security.issuer-uri", ExternalIssuerServerTest::issuer);
        registry.add("proactivecare.security.claims.scope", () -> "scp");
    }

    /** No client token to fetch: the server has no authorization server of its own to fetch it from. */
    @Override
    protected void connectClient() {}

    @Test
    void aTokenOfTheConfiguredIssuerReadsFhir() throws Exception {
        HttpResponse<String> response = get(baseUrl() + "/Patient?_count=1", token(KEY, List.of("system/Patient.rs")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("resourceType").asText()).isEqualTo("Bundle");
    }

    @Test
    void itsTokenGetsNoMoreThanItsScopes() throws Exception {
        HttpResponse<String> response =
                get(baseUrl() + "/Encounter?_count=1", token(KEY, List.of("system/Patient.rs")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("OperationOutcome");
    }

    @Test
    void aTokenSignedWithAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
        RSAKey stranger = TestIssuer.newKey(KEY.getKeyID());

        HttpResponse<String> response =
                get(baseUrl() + "/Patient?_count=1", token(stranger, List.of("system/Patient.rs")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("OperationOutcome").doesNotContain("\"Bundle\"");
    }

    @Test
    void discoveryNamesTheIssuerAndTheServerIssuesNoTokens() throws Exception {
        JsonNode configuration = JSON.readTree(
                get(baseUrl() + "/.well-known/smart-configuration", null).body());

        assertThat(configuration.get("issuer").asText()).isEqualTo(issuer());
        assertThat(configuration.get("token_endpoint").asText()).isEqualTo(issuer() + "/token");
        HttpResponse<String> token = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(rootUrl() + "/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isNotEqualTo(200);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(RSAKey signer, List<String> scopes) {
        return TestIssuer.sign(
                signer,
                new JWTClaimsSet.Builder()
                        .issuer(issuer())
                        .subject("service-account-ics-tool")
                        .claim("azp", "ics-tool")
                        .claim("scp", scopes)
                        .issueTime(new Date())
                        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                        .build());
    }

    private static String issuer() {
        return ISSUER.issuer();
    }
}
