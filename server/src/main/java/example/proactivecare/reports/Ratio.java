package example.proactivecare.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A count over a base, such as cohort members over registered patients: its score is numerator / denominator, scaled
 * and rounded only for display; scores are compared exactly.
 */
record Ratio(long numerator, long denominator) {

    /** Whether there is a score: the denominator is not zero. */
    boolean defined() {
        return denominator > 0;
    }

    /** Compares two defined scores exactly, by cross-multiplying. */
    int compareScore(Ratio other) {
        return Long.compare(numerator * other.denominator, other.numerator * denominator);
    }

    /** numerator × factor / denominator, rounded half up to {@code scale} decimal places. */
    BigDecimal scaled(int factor, int scale) {
        return BigDecimal.valueOf(numerator)
                .multiply(BigDecimal.valueOf(factor))
                .divide(BigDecimal.valueOf(denominator), scale, RoundingMode.HALF_UP);
    }

    /** The change from the denominator to the numerator in percent, to one decimal place. */
    BigDecimal variancePercent() {
        return BigDecimal.valueOf(numerator - denominator)
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(denominator), 1, RoundingMode.HALF_UP);
    }

    Ratio plus(Ratio other) {
        return new Ratio(numerator + other.numerator, denominator + other.denominator);
    }
}
