package example.proactivecare.audit;

import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;

/**
 * HAPI's IHE BALP interceptor (reads, vreads, searches and their pages: one AuditEvent per patient whose data a
 * response shows, or a basic query event when it shows none), run after authorization has checked what is shown, so
 * only what was actually answered is recorded as answered. Refusals are {@link OperationAuditInterceptor}'s.
 */
@Interceptor(order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR + 100)
class ReadAuditInterceptor extends BalpAuditCaptureInterceptor {

    ReadAuditInterceptor(IBalpAuditEventSink sink, IBalpAuditContextServices context) {
        super(sink, context);
    }
}
