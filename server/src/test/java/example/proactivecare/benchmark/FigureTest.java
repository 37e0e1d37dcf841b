package example.proactivecare.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FigureTest {

    @Nested
    class Medians {

        @Test
        void an_odd_number_of_rounds_gives_the_middle_one_and_an_even_number_the_mean_of_the_middle_two() {
            assertThat(Figure.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
            assertThat(Figure.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        }
    }

    @Nested
    class Rows {

        @Test
        void a_row_shows_both_medians_the_ratio_and_every_round() {
            // given
            Figure figure = new Figure("ingest", "resources/s", List.of(90.0, 110.0, 100.0), List.of(50.0), "plain");

            // when
            String row = figure.markdownRow();

            // then
            assertThat(figure.ratio()).isEqualTo(2.0);
            assertThat(row)
                    .contains(
                            "| ingest | 100 resources/s | 50.0 resources/s | plain | 2.00× | 90.0, 110, 100 vs 50.0 |");
        }
    }
}
