package example.proactivecare.cohort;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * What to derive: a cohort kind over the practices under a scope, for the {@code periodMonths} months that end on
 * {@code periodEnd} (inclusive), with the rule's thresholds.
 *
 * @param scope the id of the Organization the cohort covers, or null for every practice
 */
public record CohortRequest(String kind, String scope, LocalDate periodEnd, int periodMonths, Thresholds thresholds) {

    /**
     * The yearly tallies keep the most attendances in this many consecutive months ending in each year (migration V7):
     * what finds the patients of a window that touches no more months.
     */
    public static final int PEAK_MONTHS = 13;

    /** Dates are English: a window runs from midnight to midnight in London. */
    public static final ZoneId ZONE = ZoneId.of("Europe/London");

    /**
     * Every number of the rules and risk flags (PRODUCT.md §2), with the defaults of the OperationDefinition.
     *
     * @param minUrgentCareContacts 999 and 111 contacts together, for the frequent-999-111 flag
     * @param minLongTermConditions for the multiple-ltcs flag
     * @param ageOver the age-over-75 flag is set above this age
     */
    public record Thresholds(
            int minGpAttendances,
            int minUnplannedAdmissions,
            int minMedications,
            int minEdAttendances,
            int minUrgentCareContacts,
            int minLongTermConditions,
            int ageOver) {

        public static final Thresholds DEFAULTS = new Thresholds(21, 2, 10, 5, 3, 2, 75);
    }

    /** The first day of the window. */
    public LocalDate periodStart() {
        return periodEnd.minusMonths(periodMonths).plusDays(1);
    }

    /** The window's first instant. */
    public ZonedDateTime windowStart() {
        return periodStart().atStartOfDay(ZONE);
    }

    /** The instant just after the window: midnight after {@code periodEnd}. */
    public ZonedDateTime windowEnd() {
        return periodEnd.plusDays(1).atStartOfDay(ZONE);
    }

    /**
     * The window's whole calendar months that are over on {@code today}, {@code [from, to)}: derivation reads their
     * attendances from the yearly tallies and counts the window's other days from the encounters. Empty ({@code from
     * == to}) when the window has no such month.
     */
    public TalliedMonths talliedMonths(LocalDate today) {
        LocalDate start = periodStart();
        LocalDate from =
                start.getDayOfMonth() == 1 ? start : start.withDayOfMonth(1).plusMonths(1);
        LocalDate to = periodEnd.plusDays(1).withDayOfMonth(1);
        LocalDate thisMonth = today.withDayOfMonth(1);
        if (to.isAfter(thisMonth)) {
            to = thisMonth;
        }
        if (to.isBefore(from)) {
            to = from;
        }
        if (from.isAfter(periodEnd.plusDays(1))) {
            from = periodEnd.plusDays(1);
            to = from;
        }
        return new TalliedMonths(from, to);
    }

    /**
     * The least number of attendances that one of the calendar years the window touches must hold for the window to
     * hold {@code attendances}: their share, rounded up.
     */
    public int minPerCalendarYear(int attendances) {
        int years = periodEnd.getYear() - periodStart().getYear() + 1;
        return (attendances + years - 1) / years;
    }

    /**
     * How many calendar months the window touches, in part or whole: at most {@link #PEAK_MONTHS} for the usual window
     * of 12 months to a day.
     */
    public int monthsTouched() {
        return monthNumber(periodEnd) - monthNumber(periodStart()) + 1;
    }

    /**
     * A month as the yearly tallies number them ({@code proactivecare.months_total}, migration V6): {@code year * 12 +
     * month - 1}.
     */
    static int monthNumber(LocalDate day) {
        return day.getYear() * 12 + day.getMonthValue() - 1;
    }

    /** Whole months {@code [from, to)}, each given by its first day. */
    public record TalliedMonths(LocalDate from, LocalDate to) {

        public ZonedDateTime fromInstant() {
            return from.atStartOfDay(ZONE);
        }

        public ZonedDateTime toInstant() {
            return to.atStartOfDay(ZONE);
        }
    }
}
