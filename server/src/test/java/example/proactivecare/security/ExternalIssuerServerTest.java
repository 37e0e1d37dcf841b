package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import example.proactivecare.support.FhirServerTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * answered; tokens it did not sign are refused; discovery names its endpoints. The issuer is a small HTTP server
 * publishing a discovery document and a JWK set, started before the server.
 */
@TestPropertySource(properties = "proactivecare.test.database=external-issuer")
class ExternalIssuerServerTest extends FhirServerTest {

    private static final RSAKey KEY = generate();
    private static final HttpServer ISSUER = startIssuer();
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
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(KEY.getKeyID()).generate();

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

    private static String token(RSAKey signer, List<String> scopes) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(signer.getKeyID())
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer())
                        .subject("service-account-ics-tool")
                        .claim("azp", "ics-tool")
                        .claim("scp", scopes)
                        .issueTime(new Date())
                        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                        .build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private static String issuer() {
        return "http://127.0.0.1:" + ISSUER.getAddress().getPort() + "/realms/ics";
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("ics-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer startIssuer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/ics";
            serve(
                    server,
                    "/realms/ics/.well-known/openid-configuration",
                    "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\",\"authorization_endpoint\":\""
                            + issuer + "/auth\",\"token_endpoint\":\"" + issuer + "/token\"}");
            serve(server, "/realms/ics/certs", new JWKSet(KEY.toPublicJWK()).toString());
            server.setExecutor(null);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void serve(HttpServer server, String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }
}
