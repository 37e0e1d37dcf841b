package example.proactivecare.careplan;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;

/**
 * The parameters of a care plan run, checked: the plans' start, the weeks between check-ins and to the review, whether
 * only MDT-confirmed members get plans, and whether anything is stored.
 */
record GenerationRequest(
        LocalDate start, int checkInIntervalWeeks, int reviewAfterWeeks, boolean onlyConfirmed, boolean dryRun) {

    static final ZoneId ZONE = ZoneId.of("Europe/London");
    static final int DEFAULT_CHECK_IN_INTERVAL_WEEKS = 4;
    static final int DEFAULT_REVIEW_AFTER_WEEKS = 12;
    static final LocalDate EARLIEST_START = LocalDate.of(1990, 1, 1);

    /** The request the parameters make; 400 naming the parameter when one is out of range. */
    static GenerationRequest of(
            DateType start,
            IntegerType checkInIntervalWeeks,
            IntegerType reviewAfterWeeks,
            BooleanType onlyConfirmed,
            BooleanType dryRun) {
        LocalDate startDate = LocalDate.now(ZONE);
        if (start != null && start.getValue() != null) {
            if (start.getPrecision() != TemporalPrecisionEnum.DAY) {
                throw new InvalidRequestException(
                        "Parameter start: '" + start.getValueAsString() + "' is not a full date (YYYY-MM-DD)");
            }
            startDate = LocalDate.parse(start.getValueAsString());
            if (startDate.isBefore(EARLIEST_START)) {
                throw new InvalidRequestException("Parameter start: " + startDate + " is before " + EARLIEST_START);
            }
        }
        int interval = weeks("checkInIntervalWeeks", checkInIntervalWeeks, DEFAULT_CHECK_IN_INTERVAL_WEEKS, 52);
        int review = weeks("reviewAfterWeeks", reviewAfterWeeks, DEFAULT_REVIEW_AFTER_WEEKS, 104);
        if (review < interval) {
            throw new InvalidRequestException("Parameter reviewAfterWeeks: " + review
                    + " comes before the first check-in (checkInIntervalWeeks " + interval + ")");
        }
        return new GenerationRequest(startDate, interval, review, isTrue(onlyConfirmed), isTrue(dryRun));
    }

    private static int weeks(String name, IntegerType value, int fallback, int max) {
        if (value == null || value.getValue() == null) {
            return fallback;
        }
        int weeks = value.getValue();
        if (weeks < 1 || weeks > max) {
            throw new InvalidRequestException("Parameter " + name + ": " + weeks + " is not between 1 and " + max);
        }
        return weeks;
    }

    private static boolean isTrue(BooleanType value) {
        return value != null && Boolean.TRUE.equals(value.getValue());
    }
}
