package example.proactivecare.projection.view;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a view: a value per column, in the order of {@link CompiledView#columns()}.
 *
 * <p>A value is a {@link String} (strings, codes, ids, URIs, dates and times as FHIR writes them), a {@link Boolean},
 * an {@link Integer}, a {@link java.math.BigDecimal}, or {@code null} when the path returned nothing. A collection
 * column holds a {@link List} of such values, empty when the path returned nothing.
 *
 * <p>The values are kept in an array shared with nobody else; the row is immutable once built.
 */
public final class Row {

    private final List<String> names;
    private final Object[] values;

    Row(List<String> names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /** The value of the column at {@code index} (0-based, in column order). */
    public Object get(int index) {
        return values[index];
    }

    /** The value of the named column; throws {@link IllegalArgumentException} when the view has no such column. */
    public Object get(String column) {
        int index = names.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("No column '" + column + "' in " + names);
        }
        return values[index];
    }

    /** The values in column order (nulls included). */
    public List<Object> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    /** Column name to value, in column order. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(names.get(i), values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Row row && names.equals(row.names) && Arrays.equals(values, row.values);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
