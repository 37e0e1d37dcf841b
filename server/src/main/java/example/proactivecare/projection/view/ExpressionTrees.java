package example.proactivecare.projection.view;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Operation;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;

/** Walks parsed FHIRPath expressions, for what the compiler must know about them beyond their types. */
final class ExpressionTrees {

    private static final Set<Operation> ORDERING =
            EnumSet.of(Operation.LessThan, Operation.LessOrEqual, Operation.Greater, Operation.GreaterOrEqual);

    private ExpressionTrees() {}

    /** Visits every node: the node, its function parameters, its inner path, its group and its operand. */
    static void visit(ExpressionNode node, Consumer<ExpressionNode> visitor) {
        if (node == null) {
            return;
        }
        visitor.accept(node);
        if (node.getParameters() != null) {
            node.getParameters().forEach(parameter -> visit(parameter, visitor));
        }
        visit(node.getGroup(), visitor);
        visit(node.getInner(), visitor);
        visit(node.getOpNext(), visitor);
    }

    /**
     * Whether the expression uses {@code <}, {@code <=}, {@code >} or {@code >=}, with which HAPI's engine rewrites
     * dateTime operands in place (see {@link CompiledPath}). Literals are safe: the engine keeps them as text in the
     * parsed tree and builds a fresh value per evaluation, so the tree can be shared between threads.
     */
    static boolean ordersValues(ExpressionNode expression) {
        boolean[] found = {false};
        visit(expression, node -> found[0] |= node.getOperation() != null && ORDERING.contains(node.getOperation()));
        return found[0];
    }

    /** Whether the expression refers to the whole resource ({@code %resource}, {@code %rootResource}, {@code %context}). */
    static boolean readsResource(ExpressionNode expression) {
        boolean[] found = {false};
        visit(expression, node -> {
            if (node.getKind() == Kind.Constant && node.getConstant() instanceof FHIRConstant constant) {
                String name = constant.getValue();
                found[0] |= name.equals("%resource") || name.equals("%rootResource") || name.equals("%context");
            }
        });
        return found[0];
    }
}
