package example.proactivecare.cohort;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;

/** The window parameters that cohort and report operations share: {@code periodEnd} and {@code periodMonths}. */
public final class WindowParameters {

    static final LocalDate EARLIEST_PERIOD_END = LocalDate.of(1990, 1, 1);
    static final int MAX_PERIOD_MONTHS = 120;

    private WindowParameters() {}

    /** The last day of the window: today when not given; 400 when it is not a full date or before 1990. */
    public static LocalDate periodEnd(DateType periodEnd) {
        if (periodEnd == null || periodEnd.getValue() == null) {
            return LocalDate.now(CohortRequest.ZONE);
        }
        if (periodEnd.getPrecision() != TemporalPrecisionEnum.DAY) {
            throw new InvalidRequestException("Parameter periodEnd: give a full date, such as 2021-12-31");
        }
        LocalDate end = LocalDate.of(periodEnd.getYear(), periodEnd.getMonth() + 1, periodEnd.getDay());
        if (end.isBefore(EARLIEST_PERIOD_END)) {
            throw new InvalidRequestException(
                    "Parameter periodEnd: " + end + " is before " + EARLIEST_PERIOD_END + ", earlier than any record");
        }
        return end;
    }

    /** The window's length in months: 12 when not given; 400 when it is not 1 to 120. */
    public static int periodMonths(IntegerType periodMonths) {
        if (periodMonths == null || periodMonths.getValue() == null) {
            return 12;
        }
        int months = periodMonths.getValue();
        if (months <= 0 || months > MAX_PERIOD_MONTHS) {
            throw new InvalidRequestException(
                    "Parameter periodMonths: " + months + " is not between 1 and " + MAX_PERIOD_MONTHS);
        }
        return months;
    }
}
