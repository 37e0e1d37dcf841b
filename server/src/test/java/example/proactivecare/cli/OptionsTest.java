package example.proactivecare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import example.proactivecare.cli.Options.UsageException;
import java.time.LocalDate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Nested
    class Parsing {

        @Test
        void values_are_read_with_equals_or_as_the_next_argument_and_a_bare_option_is_true() {
            // given
            Options options = Options.parse(new String[] {"--patients=1,100,000", "--out", "x", "--restart"});

            // then
            assertThat(options.number("patients", 0, 1, Long.MAX_VALUE)).isEqualTo(1_100_000);
            assertThat(options.string("out", "y")).isEqualTo("x");
            assertThat(options.flag("restart")).isTrue();
            assertThat(options.date("start", LocalDate.of(2019, 1, 1))).isEqualTo(LocalDate.of(2019, 1, 1));
        }
    }

    @Nested
    class Mistakes {

        @Test
        void an_option_nobody_reads_is_an_error_not_a_silent_default() {
            Options options = Options.parse(new String[] {"--patiens=10"});
            options.number("patients", 5, 1, 10);

            assertThatThrownBy(options::checkAllUsed)
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining("--patiens");
        }

        @Test
        void a_number_out_of_range_or_not_a_number_says_which_option() {
            assertThatThrownBy(() -> Options.parse(new String[] {"--threads=0"}).number("threads", 2, 1, 64))
                    .hasMessageContaining("--threads must be between 1 and 64");
            assertThatThrownBy(
                            () -> Options.parse(new String[] {"--threads=two"}).number("threads", 2, 1, 64))
                    .hasMessageContaining("whole number");
        }

        @Test
        void a_date_must_be_iso() {
            assertThatThrownBy(() ->
                            Options.parse(new String[] {"--start=1/2/2019"}).date("start", null))
                    .hasMessageContaining("yyyy-mm-dd");
        }
    }
}
