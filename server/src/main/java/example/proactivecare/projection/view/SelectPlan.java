package example.proactivecare.projection.view;

import java.util.List;

/**
 * A compiled {@code select}: which nodes it iterates over, its own columns, and its nested selects and unionAll
 * branches, with every FHIRPath expression already parsed.
 *
 * <p>Its rows are {@code width} values wide: its own columns first, then each nested select's, then the unionAll's
 * (every branch has the same columns), which is the column order the specification requires.
 *
 * @param iterationPaths the {@code forEach} or {@code forEachOrNull} expression, or the {@code repeat} expressions;
 *     empty when the select does not iterate
 */
record SelectPlan(
        String location,
        Iteration iteration,
        List<CompiledPath> iterationPaths,
        List<ColumnPlan> columns,
        List<SelectPlan> selects,
        List<SelectPlan> unionAll,
        List<ViewColumn> outputColumns) {

    /** How a select picks the nodes its columns are evaluated on. */
    enum Iteration {
        /** the parent's node, keeping the parent's {@code %rowIndex} */
        NONE,
        /** each result of the expression; no rows when it returns nothing */
        FOR_EACH,
        /**
         * as FOR_EACH, but when it returns nothing the select runs once on an empty focus: its paths give null,
         * {@code %rowIndex} 0
         */
        FOR_EACH_OR_NULL,
        /** every node reached by applying the expressions again and again, depth first */
        REPEAT
    }

    /** A compiled column: what it is, and its parsed path. */
    record ColumnPlan(ViewColumn column, CompiledPath path) {}

    int width() {
        return outputColumns.size();
    }
}
