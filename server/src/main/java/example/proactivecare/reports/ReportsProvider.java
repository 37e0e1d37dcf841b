package example.proactivecare.reports;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import example.proactivecare.async.AsyncResponder;
import example.proactivecare.cohort.WindowParameters;
import java.io.IOException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;

/**
 * The ICS report operations, as their OperationDefinitions in {@code profiles/} define them: {@code
 * Organization/[id]/$practice-ranking} and {@code Organization/[id]/$access-report}. A POST stores the MeasureReports, a
 * GET only answers them; {@code Prefer: respond-async} for long runs. This class only binds and checks parameters.
 */
class ReportsProvider {

    private final PracticeRankingService ranking;
    private final AccessReportService access;
    private final AsyncResponder responder;

    ReportsProvider(PracticeRankingService ranking, AccessReportService access, AsyncResponder responder) {
        this.ranking = ranking;
        this.access = access;
        this.responder = responder;
    }

    @Operation(name = "$practice-ranking", typeName = "Organization", idempotent = true, manualResponse = true)
    public void practiceRanking(
            @IdParam IdType organization,
            @OperationParam(name = "indicator", max = 1) CodeType indicator,
            @OperationParam(name = "periodEnd", max = 1) DateType periodEnd,
            @OperationParam(name = "top", max = 1) IntegerType top,
            @OperationParam(name = "groupBy", max = 1) CodeType groupBy,
            @OperationParam(name = "persist", max = 1) BooleanType persist,
            ServletRequestDetails request)
            throws IOException {
        boolean store = persist(persist, request);
        PracticeRankingService.Request ranked = ranking.request(
                organization.getIdPart(),
                indicator == null ? null : indicator.getCode(),
                WindowParameters.periodEnd(periodEnd),
                top == null ? null : top.getValue(),
                groupBy == null ? null : groupBy.getCode(),
                request);
        RequestDetails worker = worker(request);
        responder.respond(
                request,
                "$practice-ranking " + ranked.indicator().code() + " Organization/" + ranked.scope(),
                progress -> {
                    Parameters result = new Parameters();
                    ranking.rank(ranked, store, worker)
                            .forEach(report ->
                                    result.addParameter().setName("report").setResource(report));
                    return result;
                });
    }

    @Operation(name = "$access-report", typeName = "Organization", idempotent = true, manualResponse = true)
    public void accessReport(
            @IdParam IdType organization,
            @OperationParam(name = "start", max = 1) DateType start,
            @OperationParam(name = "end", max = 1) DateType end,
            @OperationParam(name = "baselineYear", max = 1) IntegerType baselineYear,
            @OperationParam(name = "persist", max = 1) BooleanType persist,
            ServletRequestDetails request)
            throws IOException {
        boolean store = persist(persist, request);
        AccessReportService.Request report = access.request(
                organization.getIdPart(), start, end, baselineYear == null ? null : baselineYear.getValue(), request);
        RequestDetails worker = worker(request);
        responder.respond(request, "$access-report Organization/" + report.scope(), progress -> {
            AccessReportService.Result done = access.report(report, store, worker);
            Parameters result = new Parameters();
            done.reports().forEach(r -> result.addParameter().setName("report").setResource(r));
            done.lowestFaceToFace()
                    .forEach(p ->
                            result.addParameter().setName("lowestFaceToFace").setValue(p));
            return result;
        });
    }

    /** POST stores unless told not to; GET never stores, and asking it to is 400. */
    private static boolean persist(BooleanType persist, RequestDetails request) {
        boolean get = request.getRequestType() == RequestTypeEnum.GET;
        boolean store = persist == null || persist.getValue() == null ? !get : persist.getValue();
        if (get && store) {
            throw new InvalidRequestException(
                    "Parameter persist: a GET request does not change the server; POST to store the reports");
        }
        return store;
    }

    private static RequestDetails worker(ServletRequestDetails request) {
        return AsyncResponder.wantsAsync(request) ? new SystemRequestDetails() : request;
    }
}
