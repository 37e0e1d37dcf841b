package example.proactivecare.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Every refusal for want of a scope (403, from authorization or from search narrowing) answers an OperationOutcome
 * whose issue is {@code forbidden} and says what was missing, with {@code WWW-Authenticate: Bearer
 * error="insufficient_scope"} (RFC 6750).
 */
@Interceptor
final class ForbiddenOutcomes {

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException forbidden(Throwable exception) {
        if (!(exception instanceof ForbiddenOperationException refused) || refused.getOperationOutcome() != null) {
            return null;
        }
        String message = refused.getMessage() == null ? "Forbidden" : refused.getMessage();
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN)
                .setDiagnostics(message);
        ForbiddenOperationException answered = new ForbiddenOperationException(message, outcome);
        answered.addResponseHeader(
                "WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", error_description=\"" + message.replace('"', '\'') + "\"");
        return answered;
    }
}
