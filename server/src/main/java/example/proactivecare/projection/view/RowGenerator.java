package example.proactivecare.projection.view;

import example.proactivecare.projection.view.CompiledView.WherePlan;
import example.proactivecare.projection.view.SelectPlan.ColumnPlan;
import example.proactivecare.projection.view.SelectPlan.Iteration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Produces a compiled view's rows for one resource, following the specification's processing algorithm: filter with
 * {@code where}; then for each node a select iterates over, its own columns joined (cartesian product) with the rows
 * of each nested select and of its unionAll, whose branches' rows are concatenated.
 *
 * <p>Each select fills arrays as wide as its own columns, which its parent copies into its own, so a view without
 * {@code forEach} builds one small array per select per resource and no maps. Holds no state between calls.
 */
final class RowGenerator {

    /** Deeper than any real FHIR resource nests; stops a {@code repeat} path that never runs dry (e.g. {@code $this}). */
    private static final int MAX_REPEAT_DEPTH = 64;

    private final FHIRPathEngine engine;

    RowGenerator(FHIRPathEngine engine) {
        this.engine = engine;
    }

    List<Row> rows(CompiledView view, Resource resource) {
        if (!view.resource().equals(resource.fhirType())) {
            return List.of();
        }
        Evaluation evaluation = new Evaluation(view, resource);
        if (!evaluation.passesWhere()) {
            return List.of();
        }
        List<Object[]> arrays = evaluation.select(view.root(), resource, 0);
        List<Row> rows = new ArrayList<>(arrays.size());
        for (Object[] values : arrays) {
            rows.add(new Row(view.columnNames(), values));
        }
        return rows;
    }

    /** Evaluating one view on one resource. */
    private final class Evaluation {

        private final CompiledView view;
        private final Resource resource;

        Evaluation(CompiledView view, Resource resource) {
            this.view = view;
            this.resource = resource;
        }

        boolean passesWhere() {
            for (WherePlan where : view.where()) {
                CompiledPath path = where.path();
                List<Base> result = evaluate(path, resource, 0);
                if (result.isEmpty()) {
                    return false;
                }
                if (result.size() > 1 || !(result.get(0) instanceof BooleanType bool)) {
                    throw new ViewEvaluationException(path.location() + ": path '" + path.source() + "' returned "
                            + describe(result) + " for " + reference() + "; a where path must return a boolean");
                }
                if (!Boolean.TRUE.equals(bool.getValue())) {
                    return false;
                }
            }
            return true;
        }

        List<Object[]> select(SelectPlan select, Base node, int rowIndex) {
            if (select.iteration() == Iteration.NONE) {
                return rowsFor(select, node, rowIndex);
            }
            List<Base> items = select.iteration() == Iteration.REPEAT
                    ? repeat(select, node, rowIndex)
                    : evaluate(select.iterationPaths().get(0), node, rowIndex);
            if (items.isEmpty()) {
                // forEachOrNull: the select once more on an empty focus (as the reference implementation does), so
                // its paths give null and %rowIndex 0
                return select.iteration() == Iteration.FOR_EACH_OR_NULL ? rowsFor(select, null, 0) : List.of();
            }
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                rows.addAll(rowsFor(select, items.get(i), i));
            }
            return rows;
        }

        /** The rows of {@code select} for one node ({@code null}: the empty focus of a forEachOrNull's null row). */
        private List<Object[]> rowsFor(SelectPlan select, Base item, int rowIndex) {
            Object[] own = new Object[select.width()];
            int offset = 0;
            for (ColumnPlan column : select.columns()) {
                own[offset++] = value(column, item, rowIndex);
            }
            List<Object[]> rows = rowList(own);
            for (SelectPlan child : select.selects()) {
                rows = join(rows, select(child, item, rowIndex), offset);
                offset += child.width();
                if (rows.isEmpty()) {
                    return rows;
                }
            }
            if (!select.unionAll().isEmpty()) {
                List<Object[]> union = new ArrayList<>();
                for (SelectPlan branch : select.unionAll()) {
                    union.addAll(select(branch, item, rowIndex));
                }
                rows = join(rows, union, offset);
            }
            return rows;
        }

        /** Every row of {@code rows} with every row of {@code part} written at {@code offset}. */
        private List<Object[]> join(List<Object[]> rows, List<Object[]> part, int offset) {
            if (part.isEmpty()) {
                return List.of();
            }
            if (part.size() == 1) {
                Object[] only = part.get(0);
                for (Object[] row : rows) {
                    System.arraycopy(only, 0, row, offset, only.length);
                }
                return rows;
            }
            List<Object[]> joined = new ArrayList<>(rows.size() * part.size());
            for (Object[] row : rows) {
                for (Object[] values : part) {
                    Object[] copy = row.clone();
                    System.arraycopy(values, 0, copy, offset, values.length);
                    joined.add(copy);
                }
            }
            return joined;
        }

        private List<Base> repeat(SelectPlan select, Base node, int rowIndex) {
            List<Base> reached = new ArrayList<>();
            repeatFrom(select, node, rowIndex, 0, reached);
            return reached;
        }

        private void repeatFrom(SelectPlan select, Base node, int rowIndex, int depth, List<Base> reached) {
            if (depth > MAX_REPEAT_DEPTH) {
                throw new ViewEvaluationException(select.location() + ": repeat went deeper than " + MAX_REPEAT_DEPTH
                        + " levels in " + reference() + "; does a path return its own input?");
            }
            for (CompiledPath path : select.iterationPaths()) {
                for (Base child : evaluate(path, node, rowIndex)) {
                    reached.add(child);
                    repeatFrom(select, child, rowIndex, depth + 1, reached);
                }
            }
        }

        private Object value(ColumnPlan plan, Base item, int rowIndex) {
            ViewColumn column = plan.column();
            CompiledPath path = plan.path();
            List<Base> result = evaluate(path, item, rowIndex);
            if (column.collection()) {
                List<Object> values = new ArrayList<>(result.size());
                for (Base value : result) {
                    Object converted = ColumnValues.of(value, column.name());
                    if (converted != null) {
                        values.add(converted);
                    }
                }
                return Collections.unmodifiableList(values);
            }
            if (result.isEmpty()) {
                return null;
            }
            if (result.size() > 1) {
                throw new ViewEvaluationException(path.location() + ": path '" + path.source() + "' returned "
                        + result.size() + " values for " + reference()
                        + "; declare the column collection: true, or narrow the path (e.g. with first())");
            }
            return ColumnValues.of(result.get(0), column.name());
        }

        /** The path's result on {@code focus} (null: the empty focus); on copies when the path orders values. */
        private List<Base> evaluate(CompiledPath path, Base focus, int rowIndex) {
            Base target = path.copiesFocus() && focus != null ? focus.copy() : focus;
            Resource root = path.copiesResource() ? resource.copy() : resource;
            try {
                return engine.evaluate(
                        new EvaluationScope(view.constants(), rowIndex), root, root, target, path.node());
            } catch (FHIRException | IllegalArgumentException | IllegalStateException e) {
                throw new ViewEvaluationException(
                        path.location() + ": path '" + path.source() + "' failed on " + reference() + ": "
                                + e.getMessage(),
                        e);
            }
        }

        private String reference() {
            return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        }
    }

    private static List<Object[]> rowList(Object[] row) {
        List<Object[]> rows = new ArrayList<>(1);
        rows.add(row);
        return rows;
    }

    private static String describe(List<Base> result) {
        return result.size() == 1 ? "a " + result.get(0).fhirType() : result.size() + " values";
    }
}
