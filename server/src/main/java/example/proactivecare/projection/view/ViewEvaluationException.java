package example.proactivecare.projection.view;

/**
 * A compiled view that cannot produce rows for one resource: a {@code where} path that returned something other than
 * a boolean, a column not declared {@code collection: true} whose path returned several values, or a FHIRPath error
 * raised while evaluating.
 *
 * <p>These depend on the data, so they cannot all be found when the view is compiled. The message names the resource
 * and the column or {@code where} entry.
 */
public class ViewEvaluationException extends RuntimeException {

    public ViewEvaluationException(String message) {
        super(message);
    }

    public ViewEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
