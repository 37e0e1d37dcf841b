package example.proactivecare.support;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for HTTP tests: one server on a random port, on its own embedded PostgreSQL in a new folder, shared by
 * every test class that extends this (Spring caches the context). Tests talk to it through HAPI's generic client, as a GP
 * system would, and through {@link #http()} for raw requests.
 *
 * <p>Security is on, as it is by default: both send a real backend-services token from the server's own
 * authorization server ({@link TestAuthorization#DEFAULT_SCOPES}), got with a signed client assertion of the test
 * client that the test configuration registers ({@link TestAuthorization#properties()}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class FhirServerTest {

    protected static final FhirContext FHIR = FhirContext.forR4Cached();

    private static final Path DATA_DIR = createTempDir();

    @LocalServerPort
    protected int port;

    protected IGenericClient client;

    @Value("${proactivecare.security.enabled:true}")
    private boolean securityEnabled;

    /** The default token, per server root, and when it was got: renewed well before it expires. */
    private static final Map<String, Instant[]> TOKEN_TIMES = new ConcurrentHashMap<>();

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    /**
     * The database folder. A test class that needs a context of its own (another Spring profile) also needs a database
     * of its own, as the shared context keeps running: it sets {@code proactivecare.test.database} to a name of its own
     * (with {@code @TestPropertySource}), and its server keeps its data in that subfolder.
     */
    @DynamicPropertySource
    static void embeddedDatabase(DynamicPropertyRegistry registry) {
        registry.add("proactivecare.data-dir", () -> DATA_DIR + "/${proactivecare.test.database:shared}");
        registry.add("proactivecare.durable", () -> "false");
        // a test database holds a few hundred resources, and several test servers run at once
        registry.add("proactivecare.shared-buffers", () -> "128MB");
        TestAuthorization.properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeEach
    protected void connectClient() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(120_000);
        client = FHIR.newRestfulGenericClient(baseUrl());
        if (securityEnabled) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(token()));
        }
    }

    /** The default token ({@link TestAuthorization#DEFAULT_SCOPES}); null when the server runs without security. */
    protected String token() {
        if (!securityEnabled) {
            return null;
        }
        String root = rootUrl();
        Instant[] got = TOKEN_TIMES.get(root);
        if (got == null || got[0].isBefore(Instant.now().minusSeconds(600))) {
            TOKENS.put(root, TestAuthorization.systemToken(root, TestAuthorization.DEFAULT_SCOPES));
            TOKEN_TIMES.put(root, new Instant[] {Instant.now()});
        }
        return TOKENS.get(root);
    }

    /** An HTTP client for raw requests, sending the default token with each request that has none of its own. */
    protected HttpClient http() {
        return new AuthorizedHttpClient(HttpClient.newHttpClient(), this::token);
    }

    /**
     * Sends a request with {@code Prefer: respond-async}, checks that it is accepted (202) with a status URL, polls that
     * until the job is done (200), and answers the Parameters the job returned.
     */
    protected Parameters respondAsync(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpClient http = http();
        HttpResponse<String> accepted =
                http.send(request.header("Prefer", "respond-async").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        URI status =
                URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());

        HttpResponse<String> polled;
        do {
            Thread.sleep(200);
            polled = http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
        } while (polled.statusCode() == 202);

        assertThat(polled.statusCode()).isEqualTo(200);
        Bundle done = FHIR.newJsonParser().parseResource(Bundle.class, polled.body());
        return (Parameters) done.getEntryFirstRep().getResource();
    }

    protected String baseUrl() {
        return rootUrl() + "/fhir";
    }

    /** The server's root, where its authorization server is ({@code /oauth2/token}). */
    protected String rootUrl() {
        return "http://localhost:" + port;
    }

    /** How many resources of a type are stored now. */
    protected int count(String resourceType) {
        Bundle result = client.search()
                .forResource(resourceType)
                .summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class)
                .execute();
        return result.getTotal();
    }

    /** A sample shipped in the repository's {@code samples/} folder, as text. */
    public static String sample(String name) {
        try {
            return Files.readString(Path.of("..", "samples", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createTempDir() {
        try {
            // Under target/, so that the build's clean step removes it with everything else.
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "test-db-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
