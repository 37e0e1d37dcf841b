package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestAuthorization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * SMART backend services: an ICS tool gets a {@code system/} token with {@code client_credentials}, authenticating
 * with a JWT it signs with its own private key (RS384 or ES384), checked against the JWK set registered for it; and
 * token introspection.
 */
class BackendServicesTest extends FhirServerTest {

    @Test
    void anRs384SignedAssertionGetsASystemTokenThatReadsFhir() throws Exception {
        JsonNode response = TestAuthorization.tokenResponse(rootUrl(), TestAuthorization.BACKEND, "system/Patient.rs");

        assertThat(response.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(response.get("scope").asText()).isEqualTo("system/Patient.rs");
        assertThat(response.get("expires_in").asInt()).isPositive();
        SignedJWT token = SignedJWT.parse(response.get("access_token").asText());
        assertThat(token.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(TestAuthorization.BACKEND);
        assertThat(token.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("system/Patient.rs");
        assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(rootUrl());

        HttpResponse<String> patients = send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient?_count=1")),
                response.get("access_token").asText());
        assertThat(patients.statusCode()).isEqualTo(200);
        assertThat(FHIR.newJsonParser()
                        .parseResource(Bundle.class, patients.body())
                        .getType())
                .isEqualTo(Bundle.BundleType.SEARCHSET);
    }

    @Test
    void anEs384SignedAssertionGetsATokenToo() {
        JsonNode response =
                TestAuthorization.tokenResponse(rootUrl(), TestAuthorization.BACKEND_EC, "system/Patient.rs");

        assertThat(response.get("access_token").asText()).isNotBlank();
        assertThat(response.get("scope").asText()).isEqualTo("system/Patient.rs");
    }

    @Test
    void anAssertionUsedTwiceIsRefusedTheSecondTime() {
        String assertion = TestAuthorization.clientAssertion(rootUrl(), TestAuthorization.BACKEND);

        assertThat(TestAuthorization.requestToken(rootUrl(), assertion, "system/Patient.rs")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> replayed = TestAuthorization.requestToken(rootUrl(), assertion, "system/Patient.rs");

        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(TestAuthorization.json(replayed.body()).get("error").asText())
                .isEqualTo("invalid_client");
    }

    @Test
    void anAssertionSignedByAKeyNotRegisteredForTheClientIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048)
                .keyID(TestAuthorization.keyOf(TestAuthorization.BACKEND).getKeyID())
                .generate();
        String assertion = TestAuthorization.clientAssertion(
                TestAuthorization.BACKEND,
                rootUrl() + "/oauth2/token",
                UUID.randomUUID().toString(),
                Instant.now().plusSeconds(120),
                stranger);

        HttpResponse<String> response = TestAuthorization.requestToken(rootUrl(), assertion, "system/Patient.rs");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestAuthorization.json(response.body()).get("error").asText())
                .isEqualTo("invalid_client");
    }

    @Test
    void anAssertionForAnotherAudienceIsRefused() {
        String assertion = TestAuthorization.clientAssertion(
                TestAuthorization.BACKEND,
                "https://elsewhere.example/token",
                UUID.randomUUID().toString(),
                Instant.now().plusSeconds(120),
                TestAuthorization.keyOf(TestAuthorization.BACKEND));

        assertThat(TestAuthorization.requestToken(rootUrl(), assertion, "system/Patient.rs")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void anAssertionLivingLongerThanFiveMinutesIsRefused() {
        String assertion = TestAuthorization.clientAssertion(
                TestAuthorization.BACKEND,
                rootUrl() + "/oauth2/token",
                UUID.randomUUID().toString(),
                Instant.now().plusSeconds(3_600),
                TestAuthorization.keyOf(TestAuthorization.BACKEND));

        assertThat(TestAuthorization.requestToken(rootUrl(), assertion, "system/Patient.rs")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aScopeTheClientIsNotRegisteredForIsRefused() {
        HttpResponse<String> response = TestAuthorization.requestToken(
                rootUrl(), TestAuthorization.clientAssertion(rootUrl(), TestAuthorization.BACKEND), "user/*.rs");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestAuthorization.json(response.body()).get("error").asText())
                .isEqualTo("invalid_scope");
    }

    @Test
    void aClientAsksForLessThanItIsRegisteredForAndGetsExactlyThat() throws Exception {
        // registered for system/*.cruds; SMART 1 and 2 forms, one type or every type
        JsonNode response = TestAuthorization.tokenResponse(
                rootUrl(), TestAuthorization.BACKEND, "system/Encounter.rs system/Patient.read system/*.s");

        assertThat(Set.of(response.get("scope").asText().split(" ")))
                .containsExactlyInAnyOrder("system/Encounter.rs", "system/Patient.read", "system/*.s");
        String token = response.get("access_token").asText();
        assertThat(send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Encounter?_count=1")), token)
                        .statusCode())
                .isEqualTo(200);
        // it asked for no write, so it has none
        HttpResponse<String> write = send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/Organization"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Organization\"}")),
                token);
        assertThat(write.statusCode()).isEqualTo(403);
    }

    @Test
    void aScopeWiderThanTheRegisteredOneIsRefused() throws Exception {
        // registered for system/Patient.rs only
        for (String wider : List.of("system/Patient.cruds", "system/*.rs", "system/Encounter.rs", "user/Patient.rs")) {
            HttpResponse<String> response = secretClientToken(wider);

            assertThat(response.statusCode()).as(wider).isEqualTo(400);
            assertThat(TestAuthorization.json(response.body()).get("error").asText())
                    .as(wider)
                    .isEqualTo("invalid_scope");
        }
        HttpResponse<String> narrower = secretClientToken("system/Patient.r");
        assertThat(narrower.statusCode()).as(narrower.body()).isEqualTo(200);
        assertThat(TestAuthorization.json(narrower.body()).get("scope").asText())
                .isEqualTo("system/Patient.r");
    }

    private HttpResponse<String> secretClientToken(String scope) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(rootUrl() + "/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + java.util.Base64.getEncoder()
                                                        .encodeToString((TestAuthorization.SECRET_CLIENT + ":"
                                                                        + TestAuthorization.SECRET)
                                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                                .POST(HttpRequest.BodyPublishers.ofString(TestAuthorization.form(
                                        Map.of("grant_type", "client_credentials", "scope", scope))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConfidentialClientGetsATokenWithItsSecretAgainAndAgain() throws Exception {
        // the first use re-encodes the configured {noop} secret; the second must still work
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = secretClientToken("system/Patient.rs");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    @Test
    void introspectionSaysATokenIsActiveWithItsScopeAndClient() throws Exception {
        String token = TestAuthorization.systemToken(rootUrl(), "system/Patient.rs");

        JsonNode introspection = introspect(token);

        assertThat(introspection.get("active").asBoolean()).isTrue();
        assertThat(introspection.get("scope").asText()).isEqualTo("system/Patient.rs");
        assertThat(introspection.get("client_id").asText()).isEqualTo(TestAuthorization.BACKEND);
        assertThat(introspection.get("iss").asText()).isEqualTo(rootUrl());
    }

    @Test
    void introspectionSaysAnUnknownTokenIsNotActive() throws Exception {
        assertThat(introspect("no-such-token").get("active").asBoolean()).isFalse();
    }

    /** Introspection, as a resource server would call it: authenticated as a backend client. */
    private JsonNode introspect(String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(rootUrl() + "/oauth2/introspect"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(TestAuthorization.form(Map.of(
                                        "token",
                                        token,
                                        "client_assertion_type",
                                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                                        "client_assertion",
                                        TestAuthorization.clientAssertion(rootUrl(), TestAuthorization.BACKEND_EC)))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestAuthorization.json(response.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        request.header("Authorization", "Bearer " + token)
                                .header("Accept", "application/fhir+json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
