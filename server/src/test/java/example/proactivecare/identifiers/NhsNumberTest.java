package example.proactivecare.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NhsNumberTest {

    @Nested
    class AValidNumber {

        @ParameterizedTest
        @ValueSource(strings = {"9434765919", "9000000017", "4857773457"})
        void passesTheModulus11Check(String value) {
            // given a number whose last digit is its check digit
            // when it is checked
            String problem = NhsNumber.problemWith(value);
            // then nothing is wrong with it
            assertThat(problem).isNull();
            assertThat(NhsNumber.isValid(value)).isTrue();
        }

        @Test
        void whoseWeightedSumIsAMultipleOf11HasCheckDigit0() {
            // given 000000000: weighted sum 0, 11 - 0 = 11, which becomes 0
            assertThat(NhsNumber.isValid("0000000000")).isTrue();
        }
    }

    @Nested
    class AnInvalidNumber {

        @Test
        void withAWrongCheckDigitFailsTheModulus11Check() {
            assertThat(NhsNumber.problemWith("9434765918")).contains("fails the Modulus 11 check");
        }

        @Test
        void whoseCheckDigitWouldBe10IsNeverValid() {
            // given nine digits 000000006: weighted sum 6 x 2 = 12, 12 mod 11 = 1, so the check digit would be 10
            // then no tenth digit makes it valid
            for (int d = 0; d <= 9; d++) {
                assertThat(NhsNumber.isValid("000000006" + d)).isFalse();
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"943476591", "94347659190", "943 476 5919", "94347659A9", ""})
        void thatIsNotTenDigitsIsRejected(String value) {
            assertThat(NhsNumber.isValid(value)).isFalse();
        }

        @Test
        void thatIsMissingIsRejected() {
            assertThat(NhsNumber.problemWith(null)).isEqualTo("NHS number is empty");
        }
    }
}
