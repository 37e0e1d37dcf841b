package example.proactivecare.projection.view;

import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OidType;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.UrlType;
import org.hl7.fhir.r4.model.UuidType;

/**
 * Reads a ViewDefinition's {@code constant} list: each a {@code name} and exactly one {@code value[x]} of the types
 * the specification allows, converted once to the FHIR value the expressions compare against.
 */
final class ViewConstants {

    /** A FHIRPath identifier, so that {@code %name} parses. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Map<String, Function<String, Base>> TEXT_TYPES = Map.ofEntries(
            Map.entry("base64Binary", Base64BinaryType::new),
            Map.entry("canonical", CanonicalType::new),
            Map.entry("code", CodeType::new),
            Map.entry("date", DateType::new),
            Map.entry("dateTime", DateTimeType::new),
            Map.entry("id", IdType::new),
            Map.entry("instant", InstantType::new),
            Map.entry("oid", OidType::new),
            Map.entry("string", StringType::new),
            Map.entry("time", TimeType::new),
            Map.entry("uri", UriType::new),
            Map.entry("url", UrlType::new),
            Map.entry("uuid", UuidType::new));

    private static final Set<String> JSON_TYPES = Set.of("boolean", "decimal", "integer", "positiveInt", "unsignedInt");

    /** A constant's value and its FHIR type code. */
    record Constant(String name, Base value, String type) {}

    private ViewConstants() {}

    /** The constants by name, in the order declared; an empty map when {@code constants} is absent. */
    static Map<String, Constant> read(JsonNode constants) {
        Map<String, Constant> byName = new LinkedHashMap<>();
        if (constants == null || constants.isNull()) {
            return byName;
        }
        if (!constants.isArray()) {
            throw new InvalidViewDefinitionException("constant must be an array");
        }
        for (int i = 0; i < constants.size(); i++) {
            Constant constant = readOne(constants.get(i), "constant[" + i + "]");
            if (byName.putIfAbsent(constant.name(), constant) != null) {
                throw new InvalidViewDefinitionException(
                        "constant[" + i + "]: constant '" + constant.name() + "' is defined twice");
            }
        }
        return byName;
    }

    private static Constant readOne(JsonNode node, String location) {
        if (!node.isObject()) {
            throw new InvalidViewDefinitionException(location + " must be an object");
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            throw new InvalidViewDefinitionException(location + ": name is required and must be a string");
        }
        String name = nameNode.asText();
        String where = location + " '" + name + "'";
        if (!NAME.matcher(name).matches()) {
            throw new InvalidViewDefinitionException(
                    where + ": a constant name must be letters, digits and underscores, not starting with a digit");
        }
        if (ViewHostServices.RESERVED_NAMES.contains(name)) {
            throw new InvalidViewDefinitionException(where + ": %" + name + " is reserved by FHIRPath or the view");
        }
        String valueKey = null;
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (key.startsWith("value")) {
                if (valueKey != null) {
                    throw new InvalidViewDefinitionException(
                            where + ": has both " + valueKey + " and " + key + "; a constant has one value");
                }
                valueKey = key;
            } else if (!key.equals("name") && !ViewCompiler.isIgnorable(key)) {
                throw new InvalidViewDefinitionException(where + ": unknown element '" + key + "'");
            }
        }
        if (valueKey == null) {
            throw new InvalidViewDefinitionException(where + ": has no value (valueString, valueInteger, ...)");
        }
        String type = typeCode(valueKey);
        if (!TEXT_TYPES.containsKey(type) && !JSON_TYPES.contains(type)) {
            throw new InvalidViewDefinitionException(where + ": " + valueKey + " is not a constant type of FHIR R4 ("
                    + String.join(", ", allowedKeys()) + ")");
        }
        try {
            return new Constant(name, value(type, node.get(valueKey)), type);
        } catch (IllegalArgumentException | DataFormatException e) {
            throw new InvalidViewDefinitionException(
                    where + ": " + valueKey + " is not a valid " + type + ": " + e.getMessage());
        }
    }

    private static Base value(String type, JsonNode value) {
        Function<String, Base> textType = TEXT_TYPES.get(type);
        if (textType != null) {
            require(value.isTextual(), "a JSON string");
            return textType.apply(value.asText());
        }
        return switch (type) {
            case "boolean" -> {
                require(value.isBoolean(), "true or false");
                yield new BooleanType(value.booleanValue());
            }
            case "decimal" -> {
                require(value.isNumber(), "a JSON number");
                yield new DecimalType(value.decimalValue());
            }
            case "integer" -> {
                require(value.isIntegralNumber() && value.canConvertToInt(), "a 32-bit integer");
                yield new IntegerType(value.intValue());
            }
            case "positiveInt" -> {
                require(value.isIntegralNumber() && value.canConvertToInt() && value.intValue() > 0, "an integer > 0");
                yield new PositiveIntType(value.intValue());
            }
            case "unsignedInt" -> {
                require(
                        value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= 0,
                        "an integer >= 0");
                yield new UnsignedIntType(value.intValue());
            }
            default -> throw new IllegalStateException("no conversion for " + type);
        };
    }

    private static List<String> allowedKeys() {
        return Stream.concat(TEXT_TYPES.keySet().stream(), JSON_TYPES.stream())
                .sorted()
                .map(type -> "value" + Character.toUpperCase(type.charAt(0)) + type.substring(1))
                .toList();
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("expected " + what);
        }
    }

    /** {@code valueDateTime} is of type {@code dateTime}. */
    private static String typeCode(String valueKey) {
        String suffix = valueKey.substring("value".length());
        if (suffix.isEmpty() || !Character.isUpperCase(suffix.charAt(0))) {
            return suffix;
        }
        return Character.toLowerCase(suffix.charAt(0)) + suffix.substring(1);
    }
}
