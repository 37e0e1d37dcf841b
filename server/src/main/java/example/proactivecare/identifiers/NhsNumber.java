package example.proactivecare.identifiers;

/**
 * The NHS number: ten digits, the last a Modulus 11 check digit over the first nine.
 *
 * <p>Each of the first nine digits is weighted 10 down to 2; the check digit is 11 minus the weighted sum modulo 11,
 * where 11 becomes 0 and 10 means the number is invalid.
 */
public final class NhsNumber {

    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private NhsNumber() {}

    /** Returns why {@code value} is not a valid NHS number, or {@code null} when it is one. */
    public static String problemWith(String value) {
        if (value == null || value.isEmpty()) {
            return "NHS number is empty";
        }
        if (value.length() != 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "NHS number '" + value + "' is not 10 digits";
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (value.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        if (check == 10 || check != value.charAt(9) - '0') {
            return "NHS number '" + value + "' fails the Modulus 11 check";
        }
        return null;
    }

    public static boolean isValid(String value) {
        return problemWith(value) == null;
    }
}
