package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import example.proactivecare.cli.ProgressBar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader against a stand-in FHIR endpoint that records what it receives and can be told to reject. */
class LoaderTest {

    @TempDir
    Path folder;

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejectBundleNumbered = new AtomicInteger(-1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlightForOrganisations = new AtomicInteger();

    @BeforeEach
    void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/fhir", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int now = inFlight.incrementAndGet();
            if (body.contains("\"org\":true")) {
                mostInFlightForOrganisations.accumulateAndGet(now, Math::max);
                sleep(30);
            }
            boolean reject = body.contains("\"n\":" + rejectBundleNumbered.get() + ",");
            byte[] answer = (reject
                            ? "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\"}]}"
                            : "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}")
                    .getBytes(StandardCharsets.UTF_8);
            if (!reject) {
                received.add(body);
            }
            inFlight.decrementAndGet();
            exchange.sendResponseHeaders(reject ? 422 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A population of two files: organisations (one bundle) then a practice (five bundles of two entries). */
    private void population() throws IOException {
        Files.writeString(folder.resolve("00-organizations.ndjson"), bundle(0, 1) + "\n");
        StringBuilder practice = new StringBuilder();
        for (int n = 1; n <= 5; n++) {
            practice.append(bundle(n, 2)).append('\n');
        }
        Files.writeString(folder.resolve("practice-A.ndjson"), practice);
        Files.writeString(
                folder.resolve("manifest.json"),
                """
                {"options":{"patients":10},"files":[
                  {"file":"00-organizations.ndjson","bundles":1,"resources":1,"inOrder":true},
                  {"file":"practice-A.ndjson","bundles":5,"resources":10}]}
                """);
    }

    private static String bundle(int n, int entries) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"n\":" + n + ",\"entry\":[");
        for (int i = 0; i < entries; i++) {
            json.append(i > 0 ? "," : "")
                    .append("{\"request\":{\"method\":\"PUT\",\"url\":\"Patient/p")
                    .append(n);
            json.append('-').append(i).append("\"}}");
        }
        return json.append("]}").toString();
    }

    private Loader.Result load(boolean keepGoing, long limit) throws Exception {
        LoadPlan plan = LoadPlan.of(folder);
        Loader.Settings settings = new Loader.Settings(
                folder,
                URI.create("http://localhost:" + server.getAddress().getPort() + "/fhir"),
                2,
                false,
                keepGoing,
                null,
                Duration.ofSeconds(10),
                limit);
        try (ProgressBar bar = new ProgressBar(
                "test", plan.totalResources(), plan.unit(), new PrintStream(new ByteArrayOutputStream()), false)) {
            return new Loader(settings, plan, bar).run();
        }
    }

    @Nested
    class WholeLoad {

        @Test
        void every_bundle_is_posted_once_and_counted() throws Exception {
            // given
            population();

            // when
            Loader.Result result = load(false, Long.MAX_VALUE);

            // then
            assertThat(result.complete()).isTrue();
            assertThat(result.bundles()).isEqualTo(6);
            assertThat(result.resources()).isEqualTo(11);
            assertThat(received).hasSize(6);
            assertThat(received.get(0)).contains("\"n\":0,");
        }

        @Test
        void a_second_run_finds_everything_stored_and_posts_nothing() throws Exception {
            // given
            population();
            load(false, Long.MAX_VALUE);
            received.clear();

            // when
            Loader.Result again = load(false, Long.MAX_VALUE);

            // then
            assertThat(received).isEmpty();
            assertThat(again.skippedBundles()).isEqualTo(6);
        }
    }

    @Nested
    class Order {

        @Test
        void bundles_of_an_in_order_file_go_one_at_a_time_in_file_order() throws Exception {
            // given: organisations that refer to the ones before them
            StringBuilder organisations = new StringBuilder();
            for (int n = 0; n < 4; n++) {
                organisations.append(bundle(n, 1).replace("{\"resourceType\"", "{\"org\":true,\"resourceType\""));
                organisations.append('\n');
            }
            Files.writeString(folder.resolve("00-organizations.ndjson"), organisations);
            Files.writeString(
                    folder.resolve("manifest.json"),
                    """
                    {"files":[{"file":"00-organizations.ndjson","bundles":4,"resources":4,"inOrder":true}]}
                    """);

            // when
            load(false, Long.MAX_VALUE);

            // then
            assertThat(mostInFlightForOrganisations.get()).isEqualTo(1);
            assertThat(received)
                    .extracting(body -> body.substring(body.indexOf("\"n\":"), body.indexOf(",\"entry\"")))
                    .containsExactly("\"n\":0", "\"n\":1", "\"n\":2", "\"n\":3");
        }
    }

    @Nested
    class Interrupted {

        @Test
        void a_rejected_bundle_stops_the_run_and_the_next_run_posts_only_what_is_missing() throws Exception {
            // given
            population();
            rejectBundleNumbered.set(3);
            Loader.Result first = load(false, Long.MAX_VALUE);
            assertThat(first.complete()).isFalse();
            assertThat(first.failed()).isEqualTo(1);
            assertThat(Files.readString(folder.resolve("load-errors.log"))).contains("practice-A.ndjson:3 HTTP 422");
            List<String> firstRun = List.copyOf(received);
            received.clear();
            rejectBundleNumbered.set(-1);

            // when
            Loader.Result second = load(false, Long.MAX_VALUE);

            // then
            assertThat(second.complete()).isTrue();
            assertThat(firstRun.size() + received.size()).isEqualTo(6);
            assertThat(received).anySatisfy(body -> assertThat(body).contains("\"n\":3,"));
            assertThat(received).noneSatisfy(body -> assertThat(firstRun).contains(body));
        }

        @Test
        void a_limited_run_leaves_the_rest_for_the_next() throws Exception {
            // given
            population();

            // when
            Loader.Result first = load(false, 4);
            Loader.Result second = load(false, Long.MAX_VALUE);

            // then
            assertThat(first.bundles()).isEqualTo(4);
            assertThat(second.bundles()).isEqualTo(2);
            assertThat(received).hasSize(6);
        }

        @Test
        void with_keep_going_a_rejected_bundle_is_logged_and_the_rest_are_posted() throws Exception {
            // given
            population();
            rejectBundleNumbered.set(2);

            // when
            Loader.Result result = load(true, Long.MAX_VALUE);

            // then
            assertThat(result.failed()).isEqualTo(1);
            assertThat(received).hasSize(5);
        }
    }
}
