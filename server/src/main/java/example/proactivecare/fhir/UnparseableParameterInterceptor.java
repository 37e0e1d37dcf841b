package example.proactivecare.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;

/**
 * A parameter value that HAPI cannot turn into the type an operation declares (such as {@code top=ten} for an integer)
 * is the client's error: 400 with an OperationOutcome, where HAPI would answer 500 with the parser's exception.
 *
 * <p>Only exceptions thrown while HAPI binds the request's parameters, before any operation runs, are answered so;
 * anything thrown by the operation itself keeps its own status.
 */
@Interceptor
final class UnparseableParameterInterceptor {

    static final String BINDING_METHOD = "createMethodParams";

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException badParameterValue(Throwable exception) {
        if (exception instanceof BaseServerResponseException || !thrownWhileBindingParameters(exception)) {
            return null;
        }
        Throwable cause = exception;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new InvalidRequestException("A parameter value is not valid for the parameter's type: "
                + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    static boolean thrownWhileBindingParameters(Throwable exception) {
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (frame.getClassName().equals(BaseMethodBinding.class.getName())
                    && frame.getMethodName().equals(BINDING_METHOD)) {
                return true;
            }
        }
        return false;
    }
}
