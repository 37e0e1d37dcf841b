package example.proactivecare.projection.view;

import org.hl7.fhir.r4.fhirpath.ExpressionNode;

/**
 * One FHIRPath expression of a view, parsed once.
 *
 * <p>HAPI's engine, when it orders two dateTime values ({@code <}, {@code <=}, {@code >}, {@code >=}), rewrites each
 * operand to UTC in place: {@code 2021-03-04T10:00:00+02:00} becomes {@code 2021-03-04T08:00:00Z} in the resource
 * itself. So an expression that orders values is evaluated on a copy of its focus (and of the resource, when it reads
 * {@code %resource}), and neither the caller's resource nor the other columns see the rewrite. Only the nodes a
 * {@code forEach} or {@code repeat} of that kind returns are copies that may carry it.
 *
 * @param location where the expression is in the ViewDefinition, for messages ({@code select[0].column[1] 'name'})
 * @param source the expression as written
 * @param copiesFocus whether to evaluate it on a copy of its focus
 * @param copiesResource whether to hand it a copy of the resource as {@code %resource}
 */
record CompiledPath(String location, String source, ExpressionNode node, boolean copiesFocus, boolean copiesResource) {

    static CompiledPath of(String location, String source, ExpressionNode node) {
        boolean ordersValues = ExpressionTrees.ordersValues(node);
        return new CompiledPath(
                location, source, node, ordersValues, ordersValues && ExpressionTrees.readsResource(node));
    }
}
