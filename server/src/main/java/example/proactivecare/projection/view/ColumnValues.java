package example.proactivecare.projection.view;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;

/**
 * Turns a FHIRPath result item into the plain Java value a row holds: Boolean, Integer (integer, positiveInt,
 * unsignedInt), BigDecimal, or the FHIR string form of any other primitive (dates and times keep their precision and
 * time zone as written).
 */
final class ColumnValues {

    private ColumnValues() {}

    /** The value, or null for a primitive that has none (only extensions); throws for a non-primitive. */
    static Object of(Base item, String column) {
        if (item instanceof BooleanType bool) {
            return bool.getValue();
        }
        if (item instanceof IntegerType integer) {
            return integer.getValue();
        }
        if (item instanceof DecimalType decimal) {
            return decimal.getValue();
        }
        if (item.isPrimitive()) {
            return item.primitiveValue();
        }
        throw new ViewEvaluationException("Column '" + column + "' returned a " + item.fhirType()
                + ", not a primitive value; select one of its elements in the path");
    }
}
