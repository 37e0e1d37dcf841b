package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import example.proactivecare.identifiers.NhsNumber;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NhsNumbersTest {

    @Nested
    class EachPatientIndex {

        @Test
        void getsANumberThatPassesTheServersModulus11Check() {
            // given the first 200,000 patient indexes and some far beyond a whole ICS
            // when each is given its NHS number
            // then every number is one the server accepts
            for (long index = 0; index < 200_000; index++) {
                assertThat(NhsNumber.problemWith(NhsNumbers.forIndex(index))).isNull();
            }
            for (long index : new long[] {1_100_000, 9_999_999, 89_999_999}) {
                assertThat(NhsNumber.isValid(NhsNumbers.forIndex(index))).isTrue();
            }
        }

        @Test
        void getsADifferentNumberFromEveryOtherIndex() {
            // given the indexes of a 1.1 million patient population
            Set<String> seen = new HashSet<>();
            // when each is given its number
            for (int index = 0; index < 1_100_000; index++) {
                // then no number repeats
                assertThat(seen.add(NhsNumbers.forIndex(index))).isTrue();
            }
        }

        @Test
        void getsTheSameNumberEveryTime() {
            assertThat(NhsNumbers.forIndex(123_456)).isEqualTo(NhsNumbers.forIndex(123_456));
        }

        @Test
        void getsANumberInTheRangeStartingWith9() {
            assertThat(NhsNumbers.forIndex(0)).isEqualTo("9000000009");
            assertThat(NhsNumbers.forIndex(1_099_999)).startsWith("9").hasSize(10);
        }
    }

    @Nested
    class TheCheckDigit {

        @Test
        void isTheOneTheServerComputes() {
            // given nine-digit prefixes whose check digit is not 10
            for (long prefix = 900_000_000; prefix < 900_010_000; prefix++) {
                int check = NhsNumbers.checkDigit(prefix);
                if (check == 10) {
                    // then no tenth digit makes a valid number
                    for (int digit = 0; digit <= 9; digit++) {
                        assertThat(NhsNumber.isValid(Long.toString(prefix * 10 + digit)))
                                .isFalse();
                    }
                } else {
                    // then the prefix with its check digit is valid
                    assertThat(NhsNumber.isValid(Long.toString(prefix * 10 + check)))
                            .isTrue();
                }
            }
        }
    }

    @Test
    void anIndexBeyondTheRangeHasNoNumber() {
        assertThatThrownBy(() -> NhsNumbers.forIndex(90_000_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NhsNumbers.forIndex(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
