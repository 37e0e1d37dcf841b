package example.proactivecare.projection;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One table of the projection: the rows each resource of one type contributes to it, column name to value. The
 * columns are a ViewDefinition's, possibly with derived columns added (an Encounter's category and mode).
 */
record ViewTable(
        String table,
        String resourceType,
        List<String> columns,
        Function<IBaseResource, List<Map<String, Object>>> rows) {

    ViewTable {
        columns = List.copyOf(columns);
    }
}
