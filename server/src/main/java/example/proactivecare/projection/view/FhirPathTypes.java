package example.proactivecare.projection.view;

import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.TypeDetails;

/**
 * Reads the FHIR type codes out of what the FHIRPath type checker infers, which names types by URL: FHIR types as
 * {@code http://hl7.org/fhir/StructureDefinition/string}, FHIRPath's own as {@code
 * http://hl7.org/fhirpath/System.String}, backbone elements as {@code ...StructureDefinition/Patient#Patient.contact}.
 */
final class FhirPathTypes {

    private static final String FHIR_PREFIX = "http://hl7.org/fhir/StructureDefinition/";
    private static final String SYSTEM_PREFIX = "http://hl7.org/fhirpath/System.";

    private FhirPathTypes() {}

    /** Every type code {@code types} may hold; a backbone element or unknown type appears as {@code null}. */
    static Set<String> codes(TypeDetails types) {
        Set<String> codes = new HashSet<>();
        for (String url : types.getTypes()) {
            codes.add(code(url));
        }
        return codes;
    }

    /** The single type code {@code types} holds, or null when it may hold several (or none, or an unknown one). */
    static String singleCode(TypeDetails types) {
        Set<String> codes = codes(types);
        return codes.size() == 1 ? codes.iterator().next() : null;
    }

    static String code(String url) {
        if (url.startsWith(SYSTEM_PREFIX)) {
            return switch (url.substring(SYSTEM_PREFIX.length())) {
                case "String" -> "string";
                case "Boolean" -> "boolean";
                case "Integer" -> "integer";
                case "Long" -> "integer64";
                case "Decimal" -> "decimal";
                case "Date" -> "date";
                case "DateTime" -> "dateTime";
                case "Time" -> "time";
                case "Quantity" -> "Quantity";
                default -> null;
            };
        }
        String name = url.startsWith(FHIR_PREFIX) ? url.substring(FHIR_PREFIX.length()) : url;
        return name.isEmpty() || name.contains("#") || name.contains("/") ? null : name;
    }

    /** FHIR's primitive types are the ones whose code starts with a lower-case letter. */
    static boolean isPrimitive(String code) {
        return code != null && Character.isLowerCase(code.charAt(0));
    }
}
