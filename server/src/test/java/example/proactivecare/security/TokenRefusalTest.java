package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestAuthorization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Security is on by default: a FHIR request without a valid token gets 401 and an OperationOutcome, never data; what
 * anyone may read (the CapabilityStatement and SMART discovery) says where to get a token.
 */
class TokenRefusalTest extends FhirServerTest {

    private final HttpClient plain = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused401(HttpResponse<String> response, String diagnosticsContain) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).containsIgnoringCase(diagnosticsContain);
        assertThat(response.body()).doesNotContain("\"resourceType\":\"Bundle\"");
    }

    @Nested
    class Refused {

        @Test
        void aRequestWithoutATokenGets401AndAnOperationOutcome() throws Exception {
            assertRefused401(get(baseUrl() + "/Patient", null), "access token");
        }

        @Test
        void theStatusUrlOfAnAsynchronousRequestNeedsATokenToo() throws Exception {
            assertRefused401(get(rootUrl() + "/async/00000000-0000-0000-0000-000000000000", null), "access token");
        }

        @Test
        void anExpiredTokenGets401() throws Exception {
            // a real token of a client whose tokens live one second (clock skew allowed: one second)
            String token = TestAuthorization.tokenResponse(rootUrl(), TestAuthorization.SHORT_LIVED, "system/*.rs")
                    .get("access_token")
                    .asText();
            assertThat(get(baseUrl() + "/Patient?_count=1", token).statusCode()).isEqualTo(200);

            Thread.sleep(2_500);

            assertRefused401(get(baseUrl() + "/Patient?_count=1", token), "expired");
        }

        @Test
        void aTamperedTokenGets401() throws Exception {
            // a real token whose claims are changed after signing: a read-only token made to claim everything
            String token = TestAuthorization.systemToken(rootUrl(), "system/Patient.rs");
            String[] parts = token.split("\\.");
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("system/Patient.rs", "system/*.cruds");
            String tampered = parts[0] + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                    + "." + parts[2];

            assertRefused401(get(baseUrl() + "/Encounter", tampered), "not valid");
        }

        @Test
        void aTokenOfAnotherIssuerGets401() throws Exception {
            // the same server reached by another name issues tokens as another issuer: a real token, signed by this
            // server's key, issued by http://127.0.0.1:port, is no token for http://localhost:port
            String other = "http://127.0.0.1:" + port;
            String token = TestAuthorization.systemToken(other, "system/*.rs");
            assertThat(get(other + "/fhir/Patient?_count=1", token).statusCode())
                    .isEqualTo(200);

            assertRefused401(get(baseUrl() + "/Patient?_count=1", token), "issued by " + other);
        }

        @Test
        void aTokenSignedByAnotherKeyGets401() throws Exception {
            // everything a real token says, but signed by a key this server does not know
            RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
            SignedJWT forged = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("stranger").build(),
                    new JWTClaimsSet.Builder()
                            .issuer(rootUrl())
                            .subject(TestAuthorization.BACKEND)
                            .claim("client_id", TestAuthorization.BACKEND)
                            .claim("scope", "system/*.cruds")
                            .issueTime(new Date())
                            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                            .build());
            forged.sign(new RSASSASigner(stranger));

            assertRefused401(get(baseUrl() + "/Patient", forged.serialize()), "not valid");
        }

        @Test
        void somethingThatIsNoJwtGets401() throws Exception {
            assertRefused401(get(baseUrl() + "/Patient", "not-a-token"), "not valid");
        }
    }

    @Nested
    class Open {

        @Test
        void theCapabilityStatementNeedsNoTokenAndNamesTheSmartEndpoints() throws Exception {
            HttpResponse<String> response = get(baseUrl() + "/metadata", null);

            assertThat(response.statusCode()).isEqualTo(200);
            CapabilityStatement statement =
                    FHIR.newJsonParser().parseResource(CapabilityStatement.class, response.body());
            CapabilityStatement.CapabilityStatementRestSecurityComponent security =
                    statement.getRestFirstRep().getSecurity();
            assertThat(security.getServiceFirstRep().getCodingFirstRep().getCode())
                    .isEqualTo("SMART-on-FHIR");
            Extension uris =
                    security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
            assertThat(uris.getExtensionByUrl("token").getValue().primitiveValue())
                    .isEqualTo(rootUrl() + "/oauth2/token");
            assertThat(uris.getExtensionByUrl("authorize").getValue().primitiveValue())
                    .isEqualTo(rootUrl() + "/oauth2/authorize");
            assertThat(uris.getExtensionByUrl("introspect").getValue().primitiveValue())
                    .isEqualTo(rootUrl() + "/oauth2/introspect");
        }

        @Test
        void smartConfigurationHasTheFieldsSmartAppLaunch2Requires() throws Exception {
            HttpResponse<String> response = get(baseUrl() + "/.well-known/smart-configuration", null);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode configuration = TestAuthorization.json(response.body());
            assertThat(configuration.get("issuer").asText()).isEqualTo(rootUrl());
            assertThat(configuration.get("jwks_uri").asText()).isEqualTo(rootUrl() + "/oauth2/jwks");
            assertThat(configuration.get("authorization_endpoint").asText()).isEqualTo(rootUrl() + "/oauth2/authorize");
            assertThat(configuration.get("token_endpoint").asText()).isEqualTo(rootUrl() + "/oauth2/token");
            assertThat(configuration.get("introspection_endpoint").asText())
                    .isEqualTo(rootUrl() + "/oauth2/introspect");
            assertThat(values(configuration, "grant_types_supported"))
                    .contains("authorization_code", "client_credentials");
            assertThat(values(configuration, "token_endpoint_auth_methods_supported"))
                    .contains("private_key_jwt", "client_secret_basic");
            assertThat(values(configuration, "token_endpoint_auth_signing_alg_values_supported"))
                    .contains("RS384", "ES384");
            assertThat(values(configuration, "code_challenge_methods_supported"))
                    .containsExactly("S256");
            assertThat(values(configuration, "response_types_supported")).contains("code");
            assertThat(values(configuration, "scopes_supported")).contains("openid", "fhirUser", "launch/patient");
            assertThat(values(configuration, "capabilities"))
                    .contains(
                            "launch-standalone",
                            "client-public",
                            "client-confidential-asymmetric",
                            "context-standalone-patient",
                            "sso-openid-connect",
                            "permission-patient",
                            "permission-user",
                            "permission-v1",
                            "permission-v2");
        }

        @Test
        void theTokenKeysArePublished() throws Exception {
            HttpResponse<String> response = get(rootUrl() + "/oauth2/jwks", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestAuthorization.json(response.body()).get("keys").size())
                    .isPositive();
        }
    }

    private static List<String> values(JsonNode configuration, String field) {
        return java.util.stream.StreamSupport.stream(configuration.get(field).spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
