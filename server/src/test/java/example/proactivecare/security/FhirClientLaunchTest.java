package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestAuthorization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code fhirclient}, SMART's own JavaScript library (npm), completes a standalone launch against this server:
 * {@code tools/fhirclient-launch/launch.mjs} runs its Node adapter as the app, and a scripted browser as the user (the
 * login form, the patient picker). The app reads the picked patient with the token it got.
 *
 * <p>It needs Node 18+ and the library installed ({@code npm ci --prefix tools/fhirclient-launch}, which {@code .ci/run}
 * does). Without them the test is skipped, unless {@code PROACTIVECARE_REQUIRE_FHIRCLIENT=true} (set by {@code
 * .ci/run}), when it fails.
 */
class FhirClientLaunchTest extends FhirServerTest {

    private static final Path TOOL = Path.of("..", "tools", "fhirclient-launch");

    @Test
    void fhirclientLaunchesStandaloneWithThePatientPickedAndReadsThePatient() throws Exception {
        boolean required = "true".equalsIgnoreCase(System.getenv("PROACTIVECARE_REQUIRE_FHIRCLIENT"));
        String missing = !Files.isDirectory(TOOL.resolve("node_modules").resolve("fhirclient"))
                ? "fhirclient is not installed: npm ci --prefix tools/fhirclient-launch"
                : !nodeRuns() ? "node is not on the PATH" : null;
        if (missing != null) {
            assertThat(required).as(missing).isFalse();
            Assumptions.abort(missing);
        }
        SecurityFixture.store(client);

        Process node = new ProcessBuilder(List.of(
                        "node",
                        "launch.mjs",
                        baseUrl(),
                        TestAuthorization.APP,
                        TestAuthorization.GP_NORTH.username(),
                        TestAuthorization.PASSWORD,
                        SecurityFixture.OWN))
                .directory(TOOL.toFile())
                .redirectErrorStream(true)
                .start();
        boolean ended = node.waitFor(120, TimeUnit.SECONDS);
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            node.destroyForcibly();
        }

        assertThat(ended).as("fhirclient's launch ended: " + output).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("\"patient\":\"" + SecurityFixture.OWN + "\"")
                .contains("\"patientRead\":\"" + SecurityFixture.OWN + "\"")
                .contains("\"fhirUser\":\"" + TestAuthorization.GP_NORTH.fhirUser() + "\"");
    }

    private static boolean nodeRuns() {
        try {
            Process version = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            return version.waitFor(20, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
