package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.SmartAppLaunch;
import example.proactivecare.support.TestAuthorization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SMART standalone launch, done as a browser and an app do it over real HTTP: authorization code with PKCE (S256),
 * the embedded server's login form, the patient picker for {@code launch/patient}, and the token response naming the
 * patient, with an ID token naming the user ({@code openid fhirUser}).
 */
class SmartLaunchTest extends FhirServerTest {

    private static final String PATIENT_SCOPES = "launch/patient openid fhirUser patient/*.rs";

    @BeforeEach
    void records() {
        SecurityFixture.store(client);
    }

    @Test
    void aStandaloneLaunchWithPkcePutsThePickedPatientAndTheUserIntoTheTokens() throws Exception {
        SmartAppLaunch.Result launch =
                new SmartAppLaunch(rootUrl()).launch(TestAuthorization.GP_NORTH, PATIENT_SCOPES, SecurityFixture.OWN);

        JsonNode response = launch.tokenResponse();
        assertThat(response.get("patient").asText()).isEqualTo(SecurityFixture.OWN);
        assertThat(response.get("scope").asText().split(" "))
                .containsExactlyInAnyOrder("launch/patient", "openid", "fhirUser", "patient/*.rs");
        assertThat(response.get("token_type").asText()).isEqualTo("Bearer");
        JWTClaimsSet access = SignedJWT.parse(launch.accessToken()).getJWTClaimsSet();
        assertThat(access.getStringClaim("patient")).isEqualTo(SecurityFixture.OWN);
        assertThat(access.getStringClaim("fhirUser")).isEqualTo(TestAuthorization.GP_NORTH.fhirUser());
        assertThat(access.getStringClaim("client_id")).isEqualTo(TestAuthorization.APP);
        JWTClaimsSet id = SignedJWT.parse(response.get("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getStringClaim("fhirUser")).isEqualTo(baseUrl() + "/" + TestAuthorization.GP_NORTH.fhirUser());
        assertThat(id.getSubject()).isEqualTo(TestAuthorization.GP_NORTH.username());
        assertThat(id.getAudience()).containsExactly(TestAuthorization.APP);

        // the picker offered the patients registered at the GP's practice only
        assertThat(launch.patientPickerPage()).contains("Patient/" + SecurityFixture.OWN);
        assertThat(launch.patientPickerPage()).doesNotContain("Patient/" + SecurityFixture.OTHER);

        // the token reads the picked patient, and no other
        HttpResponse<String> own = read("Patient/" + SecurityFixture.OWN, launch.accessToken());
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(FHIR.newJsonParser()
                        .parseResource(Patient.class, own.body())
                        .getIdElement()
                        .getIdPart())
                .isEqualTo(SecurityFixture.OWN);
        HttpResponse<String> other = read("Patient/" + SecurityFixture.OTHER, launch.accessToken());
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(FHIR.newJsonParser()
                        .parseResource(OperationOutcome.class, other.body())
                        .getIssueFirstRep()
                        .getCode())
                .isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
        assertThat(other.body()).doesNotContain(SecurityFixture.OTHER_BIRTH_DATE);
    }

    @Test
    void aUserLaunchWithoutLaunchPatientGetsAUserTokenWithNoPatient() throws Exception {
        SmartAppLaunch.Result launch =
                new SmartAppLaunch(rootUrl()).launch(TestAuthorization.COORDINATOR, "openid fhirUser user/*.rs", null);

        assertThat(launch.tokenResponse().has("patient")).isFalse();
        assertThat(launch.patientPickerPage()).isNull();
        JWTClaimsSet access = SignedJWT.parse(launch.accessToken()).getJWTClaimsSet();
        assertThat(access.getStringClaim("fhirUser")).isEqualTo(TestAuthorization.COORDINATOR.fhirUser());
        assertThat(access.getClaim("patient")).isNull();
    }

    @Test
    void aUserTokenWritesForPatientsRegisteredAtTheUsersPracticesOnly() throws Exception {
        String token = new SmartAppLaunch(rootUrl())
                .launch(TestAuthorization.GP_NORTH, "openid fhirUser user/*.cruds", null)
                .accessToken();

        assertThat(createEncounter(SecurityFixture.OWN, token).statusCode()).isEqualTo(201);
        HttpResponse<String> other = createEncounter(SecurityFixture.OTHER, token);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("forbidden");
    }

    private HttpResponse<String> createEncounter(String patient, String token) throws Exception {
        String encounter = "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},\"subject\":"
                + "{\"reference\":\"Patient/" + patient + "\"},\"period\":{\"start\":\"2021-05-01T10:00:00Z\"}}";
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/Encounter"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(encounter))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCodeExchangedWithTheWrongPkceVerifierIsRefused() {
        SmartAppLaunch browser = new SmartAppLaunch(rootUrl());
        String verifier = SmartAppLaunch.randomText(48);
        SmartAppLaunch.Authorized authorized =
                browser.authorize(TestAuthorization.GP_NORTH, PATIENT_SCOPES, SecurityFixture.OWN, verifier, baseUrl());

        HttpResponse<String> token = browser.exchange(authorized.code(), SmartAppLaunch.randomText(48));

        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(TestAuthorization.json(token.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aLaunchWithoutPkceIsRefused() {
        SmartAppLaunch browser = new SmartAppLaunch(rootUrl());
        HttpResponse<String> answer = browser.get(rootUrl() + "/oauth2/authorize?"
                + TestAuthorization.form(SmartAppLaunch.ordered(
                        "response_type",
                        "code",
                        "client_id",
                        TestAuthorization.APP,
                        "redirect_uri",
                        TestAuthorization.APP_REDIRECT,
                        "scope",
                        "openid fhirUser user/*.rs",
                        "state",
                        "s1",
                        "aud",
                        baseUrl())));

        // back to the app with an error, not a code, before anyone logs in
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(SmartAppLaunch.location(answer))
                .startsWith(TestAuthorization.APP_REDIRECT)
                .contains("error=invalid_request")
                .doesNotContain("code=");
    }

    @Test
    void aLaunchForAnotherServersDataIsRefused() {
        String verifier = SmartAppLaunch.randomText(48);
        HttpResponse<String> answer = new SmartAppLaunch(rootUrl())
                .loggedInAuthorize(
                        TestAuthorization.GP_NORTH,
                        SmartAppLaunch.ordered(
                                "response_type", "code",
                                "client_id", TestAuthorization.APP,
                                "redirect_uri", TestAuthorization.APP_REDIRECT,
                                "scope", "openid fhirUser user/*.rs",
                                "state", "s2",
                                "aud", "https://another-server.example/fhir",
                                "code_challenge", SmartAppLaunch.challenge(verifier),
                                "code_challenge_method", "S256"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(SmartAppLaunch.location(answer)).doesNotContain("code=");
    }

    @Test
    void aPatientNotRegisteredAtTheUsersPracticesCannotBePicked() {
        SmartAppLaunch browser = new SmartAppLaunch(rootUrl());
        String verifier = SmartAppLaunch.randomText(48);
        HttpResponse<String> answer = browser.loggedInAuthorize(
                TestAuthorization.GP_NORTH,
                SmartAppLaunch.ordered(
                        "response_type",
                        "code",
                        "client_id",
                        TestAuthorization.APP,
                        "redirect_uri",
                        TestAuthorization.APP_REDIRECT,
                        "scope",
                        PATIENT_SCOPES,
                        "state",
                        "s3",
                        "aud",
                        baseUrl(),
                        "code_challenge",
                        SmartAppLaunch.challenge(verifier),
                        "code_challenge_method",
                        "S256"));
        String picker = SmartAppLaunch.location(answer);
        assertThat(picker).contains("/smart/launch/patient");
        HttpResponse<String> page = browser.get(rootUrl() + picker.substring(picker.indexOf("/smart")));
        java.util.Map<String, String> fields = SmartAppLaunch.hiddenFields(page.body());
        fields.put("patient", SecurityFixture.OTHER);

        HttpResponse<String> chosen = browser.post(rootUrl() + "/smart/launch/patient", fields);

        assertThat(chosen.statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> read(String path, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/" + path))
                                .header("Authorization", "Bearer " + token)
                                .header("Accept", "application/fhir+json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
