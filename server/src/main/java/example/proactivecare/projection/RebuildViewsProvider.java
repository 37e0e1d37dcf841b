package example.proactivecare.projection;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import example.proactivecare.async.AsyncJobs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code POST [base]/$rebuild-views}: rebuilds the projection from the stored resources. With {@code Prefer:
 * respond-async} it answers 202 at once, with the status URL in {@code Content-Location}; otherwise it answers when the
 * rebuild is done. The result is a Parameters with a {@code view} part (name, rows) per table.
 */
class RebuildViewsProvider {

    private final ProjectionRebuilder rebuilder;
    private final AsyncJobs jobs;
    private final FhirContext fhirContext;

    RebuildViewsProvider(ProjectionRebuilder rebuilder, AsyncJobs jobs, FhirContext fhirContext) {
        this.rebuilder = rebuilder;
        this.jobs = jobs;
        this.fhirContext = fhirContext;
    }

    @Operation(name = "$rebuild-views", manualResponse = true, idempotent = false)
    public void rebuildViews(ServletRequestDetails request) throws IOException {
        HttpServletRequest http = request.getServletRequest();
        HttpServletResponse response = request.getServletResponse();
        String prefer = http.getHeader("Prefer");
        if (prefer != null && prefer.contains("respond-async")) {
            String id = jobs.submit(
                    "$rebuild-views",
                    progress -> result(rebuilder.rebuild((done, total, stage) ->
                            progress.report(done + " of " + total + " resources (" + stage + ")"))));
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            response.setHeader("Content-Location", statusUrl(http, id));
            return;
        }
        Parameters result = result(rebuilder.rebuild((done, total, stage) -> {}));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/fhir+json;charset=utf-8");
        response.getWriter()
                .write(fhirContext.newJsonParser().setPrettyPrint(true).encodeResourceToString(result));
    }

    private static Parameters result(Map<String, Long> rowsByTable) {
        Parameters parameters = new Parameters();
        rowsByTable.forEach((table, rows) -> {
            var view = parameters.addParameter().setName("view");
            view.addPart().setName("name").setValue(new StringType(table));
            view.addPart().setName("rows").setValue(new IntegerType(rows.intValue()));
        });
        return parameters;
    }

    private static String statusUrl(HttpServletRequest http, String id) {
        String root = http.getRequestURL().toString();
        root = root.substring(0, root.length() - http.getRequestURI().length()) + http.getContextPath();
        return root + AsyncJobs.STATUS_PATH + id;
    }
}
