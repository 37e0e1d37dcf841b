package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How the generator writes its wall-clock times (Europe/London), above all across the clock changes. */
class WindowTest {

    private static final Window WINDOW = new Window(LocalDate.of(2019, 1, 1), LocalDate.of(2021, 12, 31));

    /** The wall-clock changes of the window: the last Sundays of March and October. */
    private static final LocalDate[] CLOCK_CHANGES = {
        LocalDate.of(2019, 3, 31),
        LocalDate.of(2019, 10, 27),
        LocalDate.of(2020, 3, 29),
        LocalDate.of(2020, 10, 25),
        LocalDate.of(2021, 3, 28),
        LocalDate.of(2021, 10, 31),
    };

    private static final int[] LENGTHS = {1, 5, 10, 20, 30, 59, 60, 61, 90, 120, 240, 420};

    private static long wallClock(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).toEpochSecond(ZoneOffset.UTC) / 60;
    }

    private static OffsetDateTime parse(String text) {
        return OffsetDateTime.parse(text);
    }

    @Nested
    class AnEncounterAcrossTheSpringClockChange {

        @Test
        void thatStartsBeforeMidnightAndEndsAfterItEndsAfterItStarts() {
            // given a 20-minute 111 call at 23:50 on the Saturday before the clocks go forward (28 March 2021)
            long start = wallClock(2021, 3, 27, 23, 50);
            // when its period is written
            String begins = WINDOW.dateTime(start);
            String ends = WINDOW.dateTimeAfter(start, 20);
            // then the end is 00:10 GMT on the Sunday (the clocks go forward at 01:00), 20 minutes after the start
            assertThat(begins).isEqualTo("2021-03-27T23:50:00+00:00");
            assertThat(ends).isEqualTo("2021-03-28T00:10:00+00:00");
            assertThat(Duration.between(parse(begins), parse(ends))).isEqualTo(Duration.ofMinutes(20));
        }

        @Test
        void thatRunsOverTheSkippedHourLastsItsLength() {
            // given a 20-minute call at 00:50 on the day the clocks go forward
            long start = wallClock(2021, 3, 28, 0, 50);
            // when its period is written
            String begins = WINDOW.dateTime(start);
            String ends = WINDOW.dateTimeAfter(start, 20);
            // then it starts in GMT and ends 20 minutes later in BST, not at the wall clock's 01:10, which does not
            // exist
            assertThat(begins).isEqualTo("2021-03-28T00:50:00+00:00");
            assertThat(ends).isEqualTo("2021-03-28T02:10:00+01:00");
        }

        @Test
        void thatStartsInTheSkippedHourStartsAnHourLater() {
            // given a wall-clock start of 01:30 on the day the clocks go forward, a time the UK does not have
            long start = wallClock(2021, 3, 28, 1, 30);
            // when its period is written
            // then it starts at 02:30 BST, as java.time resolves the gap, and ends its length after that
            assertThat(WINDOW.dateTime(start)).isEqualTo("2021-03-28T02:30:00+01:00");
            assertThat(WINDOW.dateTimeAfter(start, 10)).isEqualTo("2021-03-28T02:40:00+01:00");
        }
    }

    @Nested
    class AnEncounterAcrossTheAutumnClockChange {

        @Test
        void thatRunsOverTheRepeatedHourLastsItsLength() {
            // given a two-hour call at 00:30 BST on the day the clocks go back (31 October 2021)
            long start = wallClock(2021, 10, 31, 0, 30);
            // when its period is written
            String begins = WINDOW.dateTime(start);
            String ends = WINDOW.dateTimeAfter(start, 120);
            // then it ends at 01:30 GMT, the second 01:30 of that day: two hours, not three, after the start
            assertThat(begins).isEqualTo("2021-10-31T00:30:00+01:00");
            assertThat(ends).isEqualTo("2021-10-31T01:30:00+00:00");
            assertThat(Duration.between(parse(begins), parse(ends))).isEqualTo(Duration.ofMinutes(120));
        }
    }

    @Nested
    class EveryEncounter {

        @Test
        void endsItsLengthAfterItStartsOverEveryClockChangeWeekend() {
            // given every wall-clock minute from 20:00 on the Saturday to 04:00 on the Sunday of each clock change
            for (LocalDate sunday : CLOCK_CHANGES) {
                long from = sunday.minusDays(1).toEpochDay() * 1440 + 20 * 60;
                long to = sunday.toEpochDay() * 1440 + 4 * 60;
                for (long start = from; start <= to; start++) {
                    for (int minutes : LENGTHS) {
                        // when an encounter of each length starting then is written
                        OffsetDateTime begins = parse(WINDOW.dateTime(start));
                        OffsetDateTime ends = parse(WINDOW.dateTimeAfter(start, minutes));
                        // then its end is exactly its length after its start (FHIR per-1: never before it)
                        assertThat(Duration.between(begins, ends))
                                .as("%s + %d minutes", begins, minutes)
                                .isEqualTo(Duration.ofMinutes(minutes));
                    }
                }
            }
        }

        @Test
        void isWrittenAsJavaTimeWritesItsLondonTime() {
            // given wall-clock times every 7 minutes through the window and the margins around it
            DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
            long from = LocalDate.of(2018, 12, 1).toEpochDay() * 1440;
            long to = LocalDate.of(2022, 2, 1).toEpochDay() * 1440;
            for (long minute = from; minute < to; minute += 7) {
                // when one is written
                String written = WINDOW.dateTime(minute);
                // then it is java.time's reading of that wall-clock time in Europe/London
                ZonedDateTime expected = LocalDateTime.ofEpochSecond(minute * 60, 0, ZoneOffset.UTC)
                        .atZone(Window.UK);
                assertThat(written).isEqualTo(expected.format(iso));
            }
        }
    }
}
