package example.proactivecare.projection.view;

/**
 * A ViewDefinition that cannot be compiled: malformed JSON, a missing or misplaced element, a bad column name, a
 * FHIRPath expression that does not parse or does not fit the resource type, or an undefined constant.
 *
 * <p>The message always says where in the ViewDefinition the problem is (for example {@code select[0].column[1]
 * 'last_name'}), so that whoever wrote the view can fix it without reading the engine.
 */
public class InvalidViewDefinitionException extends RuntimeException {

    public InvalidViewDefinitionException(String message) {
        super(message);
    }

    public InvalidViewDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
