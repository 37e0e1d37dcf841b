package example.proactivecare.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CohortQueriesTest {

    @Nested
    class GpAttendancesByMode {

        @Test
        void addsUpAModeGivenOnceForEachPartOfTheWindow() {
            // given a mode in two years' tallies and in the days after them
            String pairs = "face-to-face=17,telephone=2,face-to-face=9,face-to-face=1";

            // when / then
            assertThat(CohortQueries.byMode(pairs))
                    .containsExactly(java.util.Map.entry("face-to-face", 27), java.util.Map.entry("telephone", 2));
        }

        @Test
        void isEmptyWhenThereAreNone() {
            assertThat(CohortQueries.byMode(null)).isEmpty();
        }
    }
}
