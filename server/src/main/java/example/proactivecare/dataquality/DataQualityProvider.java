package example.proactivecare.dataquality;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import example.proactivecare.async.AsyncResponder;
import example.proactivecare.cohort.WindowParameters;
import java.io.IOException;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;

/** {@code GET [base]/Organization/[id]/$data-quality}: one MeasureReport per practice under the Organization. */
class DataQualityProvider {

    private final DataQualityService dataQuality;
    private final AsyncResponder responder;

    DataQualityProvider(DataQualityService dataQuality, AsyncResponder responder) {
        this.dataQuality = dataQuality;
        this.responder = responder;
    }

    @Operation(name = "$data-quality", typeName = "Organization", idempotent = true, manualResponse = true)
    public void dataQuality(
            @IdParam IdType organization,
            @OperationParam(name = "periodEnd", max = 1) DateType periodEnd,
            @OperationParam(name = "periodMonths", max = 1) IntegerType periodMonths,
            ServletRequestDetails request)
            throws IOException {
        LocalDate end = WindowParameters.periodEnd(periodEnd);
        int months = WindowParameters.periodMonths(periodMonths);
        String scope = organization.getIdPart();
        RequestDetails worker = AsyncResponder.wantsAsync(request) ? new SystemRequestDetails() : request;
        dataQuality.check(scope, request);
        responder.respond(request, "$data-quality Organization/" + scope, progress -> {
            Parameters parameters = new Parameters();
            dataQuality
                    .report(scope, end, months, worker)
                    .forEach(report ->
                            parameters.addParameter().setName("report").setResource(report));
            return parameters;
        });
    }
}
