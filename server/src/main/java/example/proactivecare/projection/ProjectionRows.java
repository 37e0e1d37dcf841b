package example.proactivecare.projection;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.projection.view.ViewDefinitionEngine;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ConceptMap;

/**
 * The projection's rows for resources that are not stored through the server, computed by the same views and
 * classifier the server uses, as CSV lines for PostgreSQL's {@code COPY}. The cohort benchmark fills the projection of
 * a large generated ICS with it: loading one through HAPI would take a day, and derivation reads only the projection.
 */
public final class ProjectionRows {

    /** One projection table: its name and columns, in COPY order. */
    public record Table(String name, List<String> columns) {}

    private final Map<String, List<ViewTable>> tablesByResourceType;
    private final Map<String, int[]> sqlTypes;

    private ProjectionRows(List<ViewTable> tables, Map<String, int[]> sqlTypes) {
        this.tablesByResourceType = tables.stream().collect(Collectors.groupingBy(ViewTable::resourceType));
        this.sqlTypes = sqlTypes;
    }

    /**
     * The views and ConceptMaps on the classpath, as the server reads them.
     *
     * @param columnTypes the JDBC type of each column, per table (read from the database's catalogue)
     */
    public static ProjectionRows fromClasspath(FhirContext r4, Map<String, Map<String, Integer>> columnTypes) {
        List<ConceptMap> conceptMaps = ConformanceResources.load(r4).stream()
                .map(ConformanceResources.Entry::resource)
                .filter(ConceptMap.class::isInstance)
                .map(ConceptMap.class::cast)
                .toList();
        List<ViewTable> tables =
                ProjectionViews.tables(new ViewDefinitionEngine(r4), new EncounterClassifier(conceptMaps));
        Map<String, int[]> types = tables.stream().collect(Collectors.toMap(ViewTable::table, t -> t.columns().stream()
                .mapToInt(c -> columnTypes.getOrDefault(t.table(), Map.of()).getOrDefault(c, Types.VARCHAR))
                .toArray()));
        return new ProjectionRows(tables, types);
    }

    /** The JDBC type of every projection column, per table, from the database's catalogue. */
    public static Map<String, Map<String, Integer>> columnTypes(java.sql.Connection connection)
            throws java.sql.SQLException {
        Map<String, Map<String, Integer>> types = new java.util.HashMap<>();
        try (var statement =
                connection.prepareStatement("SELECT table_name, column_name, data_type FROM information_schema.columns"
                        + " WHERE table_schema = ?"); ) {
            statement.setString(1, ProjectionWriter.SCHEMA);
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    types.computeIfAbsent(rs.getString(1), t -> new java.util.HashMap<>())
                            .put(rs.getString(2), ProjectionWriter.sqlType(rs.getString(3)));
                }
            }
        }
        return types;
    }

    public List<Table> tables() {
        return tablesByResourceType.values().stream()
                .flatMap(List::stream)
                .map(t -> new Table(t.table(), t.columns()))
                .toList();
    }

    /** Hands each row of the resource, as a CSV line (with its newline), to {@code sink} with its table's name. */
    public void csv(IBaseResource resource, BiConsumer<String, String> sink) {
        for (ViewTable table : tablesByResourceType.getOrDefault(resource.fhirType(), List.of())) {
            int[] types = sqlTypes.get(table.table());
            for (Map<String, Object> row : table.rows().apply(resource)) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < types.length; i++) {
                    if (i > 0) {
                        line.append(',');
                    }
                    Object value = SqlValues.toSql(row.get(table.columns().get(i)), types[i]);
                    if (value instanceof Timestamp timestamp) {
                        line.append(timestamp.toInstant());
                    } else if (value != null) {
                        line.append('"')
                                .append(value.toString().replace("\"", "\"\""))
                                .append('"');
                    }
                }
                sink.accept(table.table(), line.append('\n').toString());
            }
        }
    }
}
