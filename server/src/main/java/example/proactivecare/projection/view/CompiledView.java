package example.proactivecare.projection.view;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Base;

/**
 * A ViewDefinition that has been validated and whose FHIRPath expressions have all been parsed and type-checked
 * once, ready to be evaluated on any number of resources by {@link ViewDefinitionEngine#evaluate}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class CompiledView {

    /** A compiled {@code where} entry. */
    record WherePlan(CompiledPath path) {}

    private final String name;
    private final String resource;
    private final List<ViewColumn> columns;
    private final List<String> columnNames;
    private final Map<String, Base> constants;
    private final List<WherePlan> where;
    private final SelectPlan root;

    CompiledView(String name, String resource, Map<String, Base> constants, List<WherePlan> where, SelectPlan root) {
        this.name = name;
        this.resource = resource;
        this.columns = List.copyOf(root.outputColumns());
        this.columnNames = columns.stream().map(ViewColumn::name).toList();
        this.constants = Map.copyOf(constants);
        this.where = List.copyOf(where);
        this.root = root;
    }

    /** The view's {@code name} (what the projection names its table after), or null when it has none. */
    public String name() {
        return name;
    }

    /** The resource type the view reads ({@code Patient}); resources of other types give no rows. */
    public String resource() {
        return resource;
    }

    /** The columns of every row, in order. */
    public List<ViewColumn> columns() {
        return columns;
    }

    List<String> columnNames() {
        return columnNames;
    }

    Map<String, Base> constants() {
        return constants;
    }

    List<WherePlan> where() {
        return where;
    }

    SelectPlan root() {
        return root;
    }

    @Override
    public String toString() {
        return "CompiledView[" + (name == null ? "" : name + " ") + "on " + resource + ", columns " + columnNames + "]";
    }
}
