package example.proactivecare.errors;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.gson.JsonParseException;
import javax.xml.stream.XMLStreamException;

/**
 * Answers 400, not 500, when a failure was caused by the request body rather than by the server.
 *
 * <p>HAPI's request validator parses the body before the REST layer does and reports a syntax error as an internal
 * error; the client should instead be told that its JSON or XML is malformed, and where.
 */
@Interceptor
public class ClientErrorInterceptor {

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException translate(Throwable exception) {
        if (exception instanceof InternalErrorException) {
            Throwable syntaxError = findSyntaxError(exception);
            if (syntaxError != null) {
                return new InvalidRequestException(
                        "The request body is not well-formed: " + rootMessage(syntaxError), syntaxError);
            }
        }
        return exception instanceof BaseServerResponseException response ? response : null;
    }

    private static Throwable findSyntaxError(Throwable exception) {
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException
                    || cause instanceof JsonProcessingException
                    || cause instanceof XMLStreamException
                    || cause instanceof DataFormatException) {
                return cause;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? exception.getMessage() : root.getMessage();
    }
}
