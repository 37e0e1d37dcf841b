package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestAuthorization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A Bulk Data export's status, and so its files' list, answers only the client that started it. */
class ExportOwnershipTest extends FhirServerTest {

    private final HttpClient plain = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url, String token, boolean async) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json");
        if (async) {
            request.header("Prefer", "respond-async");
        }
        return plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyTheClientThatStartedAnExportMayPollIt() throws Exception {
        SecurityFixture.store(client);
        String starter = TestAuthorization.systemToken(rootUrl(), "system/*.rs");
        String other = TestAuthorization.tokenResponse(rootUrl(), TestAuthorization.BACKEND_EC, "system/*.rs")
                .get("access_token")
                .asText();

        HttpResponse<String> kickOff =
                get(baseUrl() + "/Group/" + SecurityFixture.ownGroup + "/$export?_type=Patient", starter, true);
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();

        HttpResponse<String> byAnother = get(status, other, false);
        assertThat(byAnother.statusCode()).isEqualTo(403);
        assertThat(byAnother.body()).contains("forbidden").contains("not started by this client");

        HttpResponse<String> byTheStarter = get(status, starter, false);
        assertThat(byTheStarter.statusCode()).isIn(200, 202);
    }
}
