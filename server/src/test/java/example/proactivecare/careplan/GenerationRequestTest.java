package example.proactivecare.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {

    @Test
    void defaultsAreTodayFourWeeklyCheckInsAndAReviewAtTwelveWeeks() {
        GenerationRequest request = GenerationRequest.of(null, null, null, null, null);

        assertThat(request.start()).isEqualTo(LocalDate.now(GenerationRequest.ZONE));
        assertThat(request.checkInIntervalWeeks()).isEqualTo(4);
        assertThat(request.reviewAfterWeeks()).isEqualTo(12);
        assertThat(request.onlyConfirmed()).isFalse();
        assertThat(request.dryRun()).isFalse();
    }

    @Test
    void takesTheParametersGiven() {
        GenerationRequest request = GenerationRequest.of(
                new DateType("2026-03-02"),
                new IntegerType(2),
                new IntegerType(8),
                new BooleanType(true),
                new BooleanType(true));

        assertThat(request).isEqualTo(new GenerationRequest(LocalDate.parse("2026-03-02"), 2, 8, true, true));
    }

    @Test
    void aStartThatIsNotAFullDateIs400() {
        assertThatThrownBy(() -> GenerationRequest.of(new DateType("2026-03"), null, null, null, null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Parameter start");
    }

    @Test
    void weeksOutOfRangeAre400() {
        assertThatThrownBy(() -> GenerationRequest.of(null, new IntegerType(0), null, null, null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("checkInIntervalWeeks");
        assertThatThrownBy(() -> GenerationRequest.of(null, null, new IntegerType(105), null, null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("reviewAfterWeeks");
    }

    @Test
    void aReviewBeforeTheFirstCheckInIs400() {
        assertThatThrownBy(() -> GenerationRequest.of(null, new IntegerType(6), new IntegerType(4), null, null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("before the first check-in");
    }
}
