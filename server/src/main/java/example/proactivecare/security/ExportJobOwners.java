package example.proactivecare.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Who started each Bulk Data export, so that only they may poll it ({@code $export-poll-status}) and collect its
 * files' list: HAPI answers any caller who knows a job id. Kept in memory for the latest {@value #KEPT} exports; a
 * job started before a restart is known to no one, and is polled by no one (start it again).
 */
@Interceptor
final class ExportJobOwners {

    static final int KEPT = 10_000;

    private final SmartRequests requests;
    private final Map<String, String> owners = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT;
        }
    });

    ExportJobOwners(SmartRequests requests) {
        this.requests = requests;
    }

    /** An export accepted: its status URL ({@code Content-Location}) names the job. */
    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void started(ServletRequestDetails request) {
        if (!"$export".equals(request.getOperation())) {
            return;
        }
        String status = request.getServletResponse().getHeader("Content-Location");
        SmartToken token = requests.token(request).orElse(null);
        if (status == null || token == null) {
            return;
        }
        String job = UriComponentsBuilder.fromUriString(status)
                .build()
                .getQueryParams()
                .getFirst("_jobId");
        if (job != null) {
            owners.put(job, owner(token));
        }
    }

    /** Why this token may not poll the export the request names; null when it may. */
    String refusal(SmartToken token, RequestDetails request) {
        String job = SmartAuthorizationInterceptor.parameter(request, "_jobId");
        if (job == null) {
            return null; // HAPI answers 400
        }
        String owner = owners.get(job);
        return owner != null && owner.equals(owner(token))
                ? null
                : "$export-poll-status: export job " + job + " was not started by this client";
    }

    private static String owner(SmartToken token) {
        return token.issuer() + " " + token.clientId() + " " + token.subject();
    }
}
