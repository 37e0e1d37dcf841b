package example.proactivecare.projection;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Converts a value a ViewDefinition column produced (FHIRPath primitives as Java values) into what its PostgreSQL
 * column holds. FHIR dates may be partial: a year or a year and month is stored as its first day; a date without a
 * time, in a timestamp column, as midnight UTC.
 */
final class SqlValues {

    private SqlValues() {}

    static Object toSql(Object value, int sqlType) {
        if (value == null) {
            return null;
        }
        return switch (sqlType) {
            case Types.DATE -> Date.valueOf(date(value.toString()));
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE ->
                Timestamp.from(instant(value.toString()).toInstant());
            case Types.BOOLEAN, Types.BIT -> value instanceof Boolean b ? b : Boolean.valueOf(value.toString());
            case Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL ->
                value instanceof Number n ? n : new BigDecimal(value.toString());
            default -> value.toString();
        };
    }

    static LocalDate date(String fhir) {
        String day = fhir.length() > 10 ? fhir.substring(0, 10) : fhir;
        return switch (day.length()) {
            case 4 -> LocalDate.of(Integer.parseInt(day), 1, 1);
            case 7 -> LocalDate.of(Integer.parseInt(day.substring(0, 4)), Integer.parseInt(day.substring(5, 7)), 1);
            default -> LocalDate.parse(day);
        };
    }

    static OffsetDateTime instant(String fhir) {
        if (fhir.length() <= 10) {
            return date(fhir).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(fhir);
        } catch (DateTimeParseException noOffset) {
            // a time without a zone is not valid FHIR, but be lenient rather than lose the row: take it as UTC
            return java.time.LocalDateTime.parse(fhir).atOffset(ZoneOffset.UTC);
        }
    }
}
