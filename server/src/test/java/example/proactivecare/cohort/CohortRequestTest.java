package example.proactivecare.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CohortRequestTest {

    private static final LocalDate LONG_AFTER = LocalDate.of(2030, 6, 15);

    private static CohortRequest window(String periodEnd, int months) {
        return new CohortRequest(
                "gp-frequent-attender", null, LocalDate.parse(periodEnd), months, CohortRequest.Thresholds.DEFAULTS);
    }

    @Nested
    class TalliedMonths {

        @Test
        void aCalendarYearIsTwelveWholeMonths() {
            CohortRequest.TalliedMonths months = window("2021-12-31", 12).talliedMonths(LONG_AFTER);

            assertThat(months.from()).isEqualTo(LocalDate.of(2021, 1, 1));
            assertThat(months.to()).isEqualTo(LocalDate.of(2022, 1, 1));
        }

        @Test
        void aWindowEndingMidMonthLeavesItsFirstAndLastDaysOut() {
            // given the year to 15 December 2021, which starts on 16 December 2020
            CohortRequest request = window("2021-12-15", 12);

            // when
            CohortRequest.TalliedMonths months = request.talliedMonths(LONG_AFTER);

            // then January to November are whole
            assertThat(request.periodStart()).isEqualTo(LocalDate.of(2020, 12, 16));
            assertThat(months.from()).isEqualTo(LocalDate.of(2021, 1, 1));
            assertThat(months.to()).isEqualTo(LocalDate.of(2021, 12, 1));
            assertThat(months.fromInstant().toString()).isEqualTo("2021-01-01T00:00Z[Europe/London]");
        }

        @Test
        void theMonthInProgressAndLaterAreNotTallied() {
            CohortRequest.TalliedMonths months = window("2021-12-31", 12).talliedMonths(LocalDate.of(2021, 9, 20));

            assertThat(months.from()).isEqualTo(LocalDate.of(2021, 1, 1));
            assertThat(months.to()).isEqualTo(LocalDate.of(2021, 9, 1));
        }

        @Test
        void aWindowWithNoWholeMonthPastIsEmpty() {
            CohortRequest.TalliedMonths within = window("2021-02-20", 1).talliedMonths(LONG_AFTER);
            CohortRequest.TalliedMonths notYet = window("2021-12-31", 12).talliedMonths(LocalDate.of(2020, 6, 1));

            assertThat(within.from()).isEqualTo(within.to());
            assertThat(notYet.from()).isEqualTo(notYet.to());
        }

        @Test
        void summerMonthsStartAtLondonMidnight() {
            CohortRequest.TalliedMonths months = window("2021-07-31", 1).talliedMonths(LONG_AFTER);

            assertThat(months.fromInstant().toInstant().toString()).isEqualTo("2021-06-30T23:00:00Z");
        }
    }

    @Nested
    class MonthsTouched {

        @Test
        void aCalendarYearTouchesTwelve() {
            assertThat(window("2021-12-31", 12).monthsTouched()).isEqualTo(12);
        }

        @Test
        void twelveMonthsToADayInTheMonthTouchThirteen() {
            // 2020-11-16 to 2021-11-15
            assertThat(window("2021-11-15", 12).monthsTouched()).isEqualTo(CohortRequest.PEAK_MONTHS);
        }

        @Test
        void aLongerWindowTouchesMore() {
            assertThat(window("2021-11-15", 13).monthsTouched()).isEqualTo(14);
        }
    }

    @Nested
    class MinPerCalendarYear {

        @Test
        void aCalendarYearMustHoldTheWholeThreshold() {
            assertThat(window("2021-12-31", 12).minPerCalendarYear(21)).isEqualTo(21);
        }

        @Test
        void aYearAcrossTwoCalendarYearsNeedsHalfRoundedUpInOne() {
            assertThat(window("2021-12-15", 12).minPerCalendarYear(21)).isEqualTo(11);
        }

        @Test
        void aLongWindowSharesItOutOverEveryYearItTouches() {
            // 2019-07-01 to 2021-06-30 touches three calendar years
            assertThat(window("2021-06-30", 24).minPerCalendarYear(5)).isEqualTo(2);
        }
    }
}
