package example.proactivecare.population;

/**
 * A valid, unique NHS number for each patient index, computed from the index alone (so practices can be generated in
 * parallel). Numbers start with 9, a range not issued to patients in England (NHS test numbers live there).
 *
 * <p>The nine-digit prefixes are taken in blocks of ten that share their first eight digits. Only the last digit
 * changes within a block and it weighs 2 in the Modulus 11 sum, so the ten prefixes of a block have ten different sums
 * modulo 11 and at most one of them has the impossible check digit 10. Every block therefore has at least nine valid
 * prefixes: index i takes the (i mod 9)-th valid prefix of block i / 9.
 */
final class NhsNumbers {

    private static final long FIRST_PREFIX = 900_000_000L;

    private NhsNumbers() {}

    static String forIndex(long index) {
        if (index < 0 || index >= 9L * 10_000_000L) {
            throw new IllegalArgumentException("No NHS number for patient index " + index);
        }
        long blockStart = FIRST_PREFIX + (index / 9) * 10;
        int wanted = (int) (index % 9);
        int valid = 0;
        for (int last = 0; last < 10; last++) {
            long prefix = blockStart + last;
            int check = checkDigit(prefix);
            if (check == 10) {
                continue;
            }
            if (valid++ == wanted) {
                return Long.toString(prefix * 10 + check);
            }
        }
        throw new IllegalStateException("unreachable: a block has at least nine valid prefixes");
    }

    /** The Modulus 11 check digit of a nine-digit prefix: 0–9, or 10 when no number has that prefix. */
    static int checkDigit(long prefix) {
        int sum = 0;
        long rest = prefix;
        for (int weight = 2; weight <= 10; weight++) {
            sum += (int) (rest % 10) * weight;
            rest /= 10;
        }
        int check = 11 - sum % 11;
        return check == 11 ? 0 : check;
    }
}
