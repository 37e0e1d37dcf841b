package example.proactivecare.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SqlValuesTest {

    @Nested
    class FhirDates {

        @Test
        void aPartialDateIsStoredAsItsFirstDay() {
            assertThat(SqlValues.toSql("1950", Types.DATE)).isEqualTo(Date.valueOf("1950-01-01"));
            assertThat(SqlValues.toSql("1950-07", Types.DATE)).isEqualTo(Date.valueOf("1950-07-01"));
            assertThat(SqlValues.toSql("1950-07-14", Types.DATE)).isEqualTo(Date.valueOf("1950-07-14"));
        }

        @Test
        void aDateTimeKeepsItsInstantWhateverItsOffset() {
            assertThat(SqlValues.toSql("2026-03-02T09:10:00+01:00", Types.TIMESTAMP))
                    .isEqualTo(Timestamp.from(Instant.parse("2026-03-02T08:10:00Z")));
        }

        @Test
        void aDateInATimestampColumnIsMidnightUtc() {
            assertThat(SqlValues.toSql("2026-03-02", Types.TIMESTAMP))
                    .isEqualTo(Timestamp.from(Instant.parse("2026-03-02T00:00:00Z")));
        }
    }

    @Nested
    class OtherValues {

        @Test
        void anEmptyValueIsNull() {
            assertThat(SqlValues.toSql(null, Types.VARCHAR)).isNull();
        }

        @Test
        void textAndBooleansPassThrough() {
            assertThat(SqlValues.toSql("finished", Types.VARCHAR)).isEqualTo("finished");
            assertThat(SqlValues.toSql(Boolean.TRUE, Types.BOOLEAN)).isEqualTo(true);
        }
    }
}
