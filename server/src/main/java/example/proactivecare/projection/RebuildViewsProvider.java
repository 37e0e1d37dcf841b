package example.proactivecare.projection;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import example.proactivecare.async.AsyncResponder;
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
    private final AsyncResponder responder;

    RebuildViewsProvider(ProjectionRebuilder rebuilder, AsyncResponder responder) {
        this.rebuilder = rebuilder;
        this.responder = responder;
    }

    @Operation(name = "$rebuild-views", manualResponse = true, idempotent = false)
    public void rebuildViews(ServletRequestDetails request) throws IOException {
        responder.respond(
                request,
                "$rebuild-views",
                progress -> result(rebuilder.rebuild((done, total, stage) ->
                        progress.report(done + " of " + total + " resources (" + stage + ")"))));
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
}
