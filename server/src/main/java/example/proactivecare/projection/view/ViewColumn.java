package example.proactivecare.projection.view;

/**
 * One column of a view's rows, in the order the rows hold them.
 *
 * @param name the column name (letters, digits and underscores, starting with a letter), unique in the view
 * @param type the FHIR type code the column holds ({@code string}, {@code boolean}, {@code dateTime}...): the one the
 *     ViewDefinition declares, else the one inferred from its path; {@code null} when neither says (the path may
 *     return values of several types)
 * @param collection whether each value is a list ({@code collection: true}) rather than a single value or null
 */
public record ViewColumn(String name, String type, boolean collection) {}
