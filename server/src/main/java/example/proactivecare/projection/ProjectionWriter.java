package example.proactivecare.projection;

import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a resource's rows into the projection tables, replacing the rows it had; removes them when it is deleted.
 *
 * <p>It uses the caller's transaction: the JDBC connection is the one the JPA transaction holds, so the rows commit or
 * roll back with the resource.
 */
final class ProjectionWriter {

    static final String SCHEMA = "proactivecare";

    private record Table(ViewTable view, String insert, String delete, int[] sqlTypes) {}

    private final JdbcTemplate jdbc;
    private final Map<String, List<Table>> tablesByResourceType;

    ProjectionWriter(JdbcTemplate jdbc, List<ViewTable> views) {
        this.jdbc = jdbc;
        this.tablesByResourceType = views.stream().map(this::table).collect(Collectors.groupingBy(t -> t.view()
                .resourceType()));
    }

    List<ViewTable> views() {
        return tablesByResourceType.values().stream()
                .flatMap(List::stream)
                .map(Table::view)
                .toList();
    }

    /** Replaces the resource's rows in every table of its type: for an update. */
    void replace(IBaseResource resource) {
        delete(resource.fhirType(), resource.getIdElement().getIdPart());
        insert(resource);
    }

    /** Writes the rows of a resource that has none yet: a new resource, or any resource after {@link #clear}. */
    void insert(IBaseResource resource) {
        for (Table table : tablesByResourceType.getOrDefault(resource.fhirType(), List.of())) {
            List<String> columns = table.view().columns();
            List<Object[]> batch = new ArrayList<>();
            for (Map<String, Object> row : table.view().rows().apply(resource)) {
                Object[] values = new Object[columns.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = SqlValues.toSql(row.get(columns.get(i)), table.sqlTypes()[i]);
                }
                batch.add(values);
            }
            if (!batch.isEmpty()) {
                jdbc.batchUpdate(table.insert(), batch, table.sqlTypes());
            }
        }
    }

    /** Removes a deleted resource's rows. */
    void delete(String resourceType, String id) {
        for (Table table : tablesByResourceType.getOrDefault(resourceType, List.of())) {
            jdbc.update(table.delete(), id);
        }
    }

    /** How many rows a table holds now. */
    long rowCount(ViewTable view) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM " + SCHEMA + "." + view.table(), Long.class);
        return count == null ? 0 : count;
    }

    /** Empties the tables of a resource type, before a rebuild. */
    void clear(String resourceType) {
        for (Table table : tablesByResourceType.getOrDefault(resourceType, List.of())) {
            jdbc.update("DELETE FROM " + SCHEMA + "." + table.view().table());
        }
    }

    private Table table(ViewTable view) {
        Map<String, Integer> types = columnTypes(view.table());
        int[] sqlTypes = new int[view.columns().size()];
        for (int i = 0; i < sqlTypes.length; i++) {
            Integer type = types.get(view.columns().get(i));
            if (type == null) {
                throw new IllegalStateException("The projection table " + SCHEMA + "." + view.table()
                        + " has no column " + view.columns().get(i) + " for its view: add it in a migration");
            }
            sqlTypes[i] = type;
        }
        String name = SCHEMA + "." + view.table();
        String columns = String.join(", ", view.columns());
        String placeholders = view.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        return new Table(
                view,
                "INSERT INTO " + name + " (" + columns + ") VALUES (" + placeholders + ")",
                "DELETE FROM " + name + " WHERE id = ?",
                sqlTypes);
    }

    private Map<String, Integer> columnTypes(String table) {
        Map<String, Integer> types = new HashMap<>();
        jdbc.query(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                rs -> {
                    types.put(rs.getString(1), sqlType(rs.getString(2)));
                },
                SCHEMA,
                table);
        if (types.isEmpty()) {
            throw new IllegalStateException("The projection table " + SCHEMA + "." + table + " does not exist");
        }
        return types;
    }

    static int sqlType(String dataType) {
        return switch (dataType) {
            case "date" -> Types.DATE;
            case "timestamp with time zone", "timestamp without time zone" -> Types.TIMESTAMP;
            case "boolean" -> Types.BOOLEAN;
            case "integer", "bigint" -> Types.BIGINT;
            case "numeric" -> Types.NUMERIC;
            default -> Types.VARCHAR;
        };
    }
}
