package example.proactivecare.async;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.IRestfulResponse;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.method.ElementsParameter;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.security.Principal;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Answers an operation that may run long, for a provider declared with {@code manualResponse = true}: with {@code
 * Prefer: respond-async} the work goes to {@link AsyncJobs} and the client gets 202 at once with the status URL in
 * {@code Content-Location}; otherwise the work runs now and its result is the answer, encoded as the client asked.
 *
 * <p>The job belongs to whoever asked for it: its status URL answers them only.
 *
 * <p>Validate the parameters before calling this, so that bad input gets its 400 at once rather than from the status
 * URL.
 */
public class AsyncResponder {

    /** Where the answer of a synchronous run is left in the request's user data, for the audit trail to read. */
    public static final String RESULT = AsyncResponder.class.getName() + ".result";

    /** Where the id of an asynchronous run's job is left in the request's user data. */
    public static final String JOB = AsyncResponder.class.getName() + ".job";

    private final AsyncJobs jobs;

    public AsyncResponder(AsyncJobs jobs) {
        this.jobs = jobs;
    }

    public void respond(
            ServletRequestDetails request, String description, Function<AsyncJobs.Progress, IBaseResource> work)
            throws IOException {
        respond(request, description, work, null);
    }

    /**
     * As {@link #respond(ServletRequestDetails, String, Function)}, with a writer for a synchronous answer that the
     * client wants as plain JSON.
     */
    public void respond(
            ServletRequestDetails request,
            String description,
            Function<AsyncJobs.Progress, IBaseResource> work,
            JsonAnswerWriter jsonWriter)
            throws IOException {
        if (wantsAsync(request)) {
            HttpServletRequest http = request.getServletRequest();
            String id = jobs.submit(owner(http), description, work);
            request.getUserData().put(JOB, id);
            HttpServletResponse response = request.getServletResponse();
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            response.setHeader("Content-Location", statusUrl(http, id));
            return;
        }
        IBaseResource result = work.apply(progress -> {});
        request.getUserData().put(RESULT, result);
        if (jsonWriter != null && wantsPlainJson(request) && jsonWriter.canWrite(result)) {
            IRestfulResponse response = request.getResponse();
            Writer writer = response.getResponseWriter(
                    HttpServletResponse.SC_OK, Constants.CT_FHIR_JSON_NEW, Constants.CHARSET_NAME_UTF8, false);
            jsonWriter.write(result, writer);
            response.commitResponse(writer);
            return;
        }
        RestfulServerUtils.streamResponseAsResource(
                request.getServer(), result, Set.of(), HttpServletResponse.SC_OK, false, false, request);
    }

    /** Who is asking: the authenticated principal (the token's subject), or null when security is off. */
    static String owner(HttpServletRequest http) {
        Principal principal = http.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    public static boolean wantsAsync(ServletRequestDetails request) {
        String prefer = request.getHeader("Prefer");
        return prefer != null && prefer.contains("respond-async");
    }

    /** JSON (by Accept or {@code _format}), not pretty, and neither {@code _summary} nor {@code _elements}. */
    private static boolean wantsPlainJson(ServletRequestDetails request) {
        Set<SummaryEnum> summary = RestfulServerUtils.determineSummaryMode(request);
        return RestfulServerUtils.determineResponseEncodingWithDefault(request).getEncoding() == EncodingEnum.JSON
                && !RestfulServerUtils.prettyPrintResponse(request.getServer(), request)
                && (summary.isEmpty() || summary.equals(Set.of(SummaryEnum.FALSE)))
                && ElementsParameter.getElementsValueOrNull(request, false) == null
                && ElementsParameter.getElementsValueOrNull(request, true) == null;
    }

    private static String statusUrl(HttpServletRequest http, String id) {
        String root = http.getRequestURL().toString();
        root = root.substring(0, root.length() - http.getRequestURI().length()) + http.getContextPath();
        return root + AsyncJobs.STATUS_PATH + id;
    }
}
