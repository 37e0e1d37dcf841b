package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GenerateCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Nested
    class CalledWell {

        @Test
        void writesThePopulationAndExitsWith0(@TempDir Path dir) {
            // given a small population into a folder
            // when generated
            int status = run("--out=" + dir, "--patients=30", "--seed=3", "--threads=1");
            // then it succeeds and says what it wrote
            assertThat(status).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Wrote 30 patients in 1 practices");
            assertThat(dir.resolve("manifest.json")).exists();
            assertThat(dir.resolve("practice-ZZ0001.ndjson")).exists();
        }

        @Test
        void forHelpPrintsTheUsageAndExitsWith0() {
            assertThat(run("--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("--patients-per-bundle");
        }

        @Test
        void acceptsOptionsWrittenWithASpace(@TempDir Path dir) {
            assertThat(run("--out", dir.toString(), "--patients", "20", "--defect-rate", "0.5"))
                    .isZero();
        }
    }

    @Nested
    class CalledWrongly {

        @Test
        void withAnUnknownOptionExitsWith2AndPrintsTheUsage() {
            assertThat(run("--patiens=10")).isEqualTo(2);
            assertThat(err()).contains("unknown option --patiens").contains("usage: java -jar");
        }

        @Test
        void withAnEndBeforeItsStartExitsWith2() {
            assertThat(run("--start=2021-01-01", "--end=2020-01-01")).isEqualTo(2);
            assertThat(err()).contains("--end (2020-01-01) is before --start (2021-01-01)");
        }

        @Test
        void withANumberOutOfRangeExitsWith2() {
            assertThat(run("--defect-rate=2")).isEqualTo(2);
            assertThat(err()).contains("--defect-rate must be between 0");
        }

        @Test
        void withAWrongDateExitsWith2() {
            assertThat(run("--start=2019/01/01")).isEqualTo(2);
            assertThat(err()).contains("--start must be a date written yyyy-mm-dd");
        }
    }

    @Test
    void failingToWriteExitsWith1(@TempDir Path dir) throws Exception {
        // given an output path that is a file, not a folder
        Path file = java.nio.file.Files.writeString(dir.resolve("not-a-folder"), "x");
        // when generating into it
        // then it fails with status 1 and says why
        assertThat(run("--out=" + file, "--patients=5")).isEqualTo(1);
        assertThat(err()).contains("generate failed");
    }
}
