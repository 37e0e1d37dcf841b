package example.proactivecare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private ProgressBar bar(long total) {
        return new ProgressBar(
                "load", total, "resources", new PrintStream(printed, true, StandardCharsets.UTF_8), false);
    }

    @Nested
    class Rendering {

        @Test
        void a_line_shows_the_share_done_the_counts_and_the_unit() {
            // given
            ProgressBar bar = bar(200);

            // when
            bar.advance(50);

            // then
            assertThat(bar.render()).startsWith("load [########").contains(" 25% 50/200 resources");
        }

        @Test
        void closing_prints_the_final_line_once_for_a_log_file() {
            // given
            ProgressBar bar = bar(10);
            bar.advance(10);

            // when
            bar.close();

            // then
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("100% 10/10 resources")
                    .endsWith("\n");
        }
    }

    @Nested
    class Resuming {

        @Test
        void work_already_done_moves_the_bar_but_does_not_count_towards_the_rate() throws Exception {
            // given
            ProgressBar bar = bar(1_000_000);

            // when
            bar.skip(999_999);
            Thread.sleep(20);

            // then
            assertThat(bar.done()).isEqualTo(999_999);
            assertThat(bar.ratePerSecond()).isZero();
        }
    }

    @Test
    void clock_shows_minutes_and_seconds_then_hours() {
        assertThat(ProgressBar.clock(75)).isEqualTo("1:15");
        assertThat(ProgressBar.clock(3_725)).isEqualTo("1:02:05");
    }
}
