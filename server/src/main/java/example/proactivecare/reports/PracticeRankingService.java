package example.proactivecare.reports;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import example.proactivecare.cohort.CohortRequest;
import example.proactivecare.cohort.CohortService;
import example.proactivecare.reports.ReportQueries.Organisation;
import example.proactivecare.reports.ReportQueries.Practice;
import example.proactivecare.reports.ReportTerminology.Indicator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;

/**
 * {@code Organization/[id]/$practice-ranking}: the practices under an Organization ranked by an indicator over the 12
 * months ending on {@code periodEnd}, one MeasureReport per practice (see {@link Ranking} for the order).
 */
class PracticeRankingService {

    static final int DEFAULT_TOP = 10;
    static final int MAX_TOP = 1000;
    static final String GROUP_BY_PART_OF = "partOf";
    static final int PERIOD_MONTHS = 12;

    /** A checked request. */
    record Request(String scope, Indicator indicator, LocalDate periodEnd, int top, boolean groupByPartOf) {}

    private final ReportQueries queries;
    private final ReportTerminology terminology;
    private final ReportScopes scopes;
    private final CohortService cohorts;
    private final MeasureReportStore store;

    PracticeRankingService(
            ReportQueries queries,
            ReportTerminology terminology,
            ReportScopes scopes,
            CohortService cohorts,
            MeasureReportStore store) {
        this.queries = queries;
        this.terminology = terminology;
        this.scopes = scopes;
        this.cohorts = cohorts;
        this.store = store;
    }

    /** Checks the parameters and the scope before any work: 400 for anything wrong. */
    Request request(
            String scope,
            String indicator,
            LocalDate periodEnd,
            Integer top,
            String groupBy,
            RequestDetails requestDetails) {
        if (indicator == null || indicator.isBlank()) {
            throw new InvalidRequestException("Parameter indicator is required; one of "
                    + String.join(", ", terminology.indicators().keySet()));
        }
        Indicator known = terminology.indicators().get(indicator);
        if (known == null) {
            throw new InvalidRequestException("Parameter indicator: unknown indicator '" + indicator + "'; known: "
                    + String.join(", ", terminology.indicators().keySet()));
        }
        int howMany = top == null ? DEFAULT_TOP : top;
        if (howMany < 1 || howMany > MAX_TOP) {
            throw new InvalidRequestException("Parameter top: " + howMany + " is not between 1 and " + MAX_TOP);
        }
        if (groupBy != null && !GROUP_BY_PART_OF.equals(groupBy)) {
            throw new InvalidRequestException(
                    "Parameter groupBy: unknown grouping '" + groupBy + "'; the only one is " + GROUP_BY_PART_OF);
        }
        scopes.organization(scope, requestDetails);
        return new Request(scope, known, periodEnd, howMany, groupBy != null);
    }

    /** Ranks every practice, stores every practice's report when asked, and answers the top of each group. */
    List<MeasureReport> rank(Request request, boolean persist, RequestDetails requestDetails) {
        Organization scope = scopes.organization(request.scope(), requestDetails);
        CohortRequest window = new CohortRequest(null, request.scope(), request.periodEnd(), PERIOD_MONTHS, null);
        List<Practice> practices = queries.practices(request.scope()).stream()
                .filter(Practice::active)
                .toList();
        Map<String, Organisation> organisations = queries.organizations(request.scope());
        List<String> ids = practices.stream().map(Practice::id).toList();
        Map<String, Long> registered = queries.registeredPatients(ids, window.periodEnd(), window.windowEnd());

        Indicator indicator = request.indicator();
        Map<String, List<Ratio>> figures = indicator.cohortKind() != null
                ? cohortFigures(request, indicator.cohortKind(), ids, registered, requestDetails)
                : faceToFaceFigures(window, ids, registered);
        List<MeasureReports.Scale> scales = indicator.cohortKind() != null
                ? List.of(MeasureReports.Scale.PER_1000)
                : List.of(MeasureReports.Scale.PERCENT, MeasureReports.Scale.PER_1000);

        List<Ranking.Candidate> candidates = new ArrayList<>();
        Map<String, Practice> byId = new HashMap<>();
        for (Practice practice : practices) {
            byId.put(practice.id(), practice);
            Ratio score = figures.get(practice.id()).get(0);
            candidates.add(new Ranking.Candidate(
                    practice.id(),
                    practice.odsCode(),
                    request.groupByPartOf() ? practice.group() : request.scope(),
                    score,
                    score.numerator()));
        }
        Map<String, List<Ranking.Ranked>> ranked = Ranking.rank(candidates, indicator.highestFirst());

        Date now = new Date();
        Reference reporter = ReportScopes.reference(request.scope(), scope.getName());
        List<MeasureReport> all = new ArrayList<>();
        List<MeasureReport> top = new ArrayList<>();
        for (String group : groupOrder(ranked.keySet(), organisations)) {
            for (Ranking.Ranked rank : ranked.get(group)) {
                Practice practice = byId.get(rank.candidate().practice());
                MeasureReport report = MeasureReports.report(
                        indicator.measure(),
                        MeasureReports.subject(practice.id(), practice.name()),
                        reporter,
                        window.periodStart(),
                        window.periodEnd(),
                        now,
                        identifier(request, practice.id(), window));
                List<Ratio> ratios = figures.get(practice.id());
                for (int i = 0; i < ratios.size(); i++) {
                    MeasureReports.group(report, indicator.measure(), i, ratios.get(i), scales.get(i));
                }
                Organisation groupOrganisation = organisations.get(group);
                var extension = report.addExtension().setUrl(MeasureReports.RANK);
                extension.addExtension("rank", new PositiveIntType(rank.rank()));
                extension.addExtension(
                        "group",
                        ReportScopes.reference(
                                group, groupOrganisation == null ? scope.getName() : groupOrganisation.name()));
                extension.addExtension("of", new PositiveIntType(rank.of()));
                all.add(report);
                if (rank.rank() <= request.top()) {
                    top.add(report);
                }
            }
        }
        if (persist) {
            store.store(all, requestDetails);
        }
        return top;
    }

    /** Each practice's members of the indicator's cohort over registered patients. */
    private Map<String, List<Ratio>> cohortFigures(
            Request request,
            String cohortKind,
            List<String> practices,
            Map<String, Long> registered,
            RequestDetails requestDetails) {
        Group cohort = cohorts.derive(
                        new CohortRequest(
                                cohortKind,
                                request.scope(),
                                request.periodEnd(),
                                PERIOD_MONTHS,
                                CohortRequest.Thresholds.DEFAULTS),
                        false,
                        requestDetails)
                .group();
        List<String> members = cohort.getMember().stream()
                .filter(member -> !member.getInactive())
                .map(member -> new IdType(member.getEntity().getReference()).getIdPart())
                .toList();
        Map<String, Long> membersAt = new HashMap<>();
        queries.registeredPractice(members).values().forEach(practice -> membersAt.merge(practice, 1L, Long::sum));
        Map<String, List<Ratio>> figures = new HashMap<>();
        for (String practice : practices) {
            figures.put(
                    practice,
                    List.of(new Ratio(membersAt.getOrDefault(practice, 0L), registered.getOrDefault(practice, 0L))));
        }
        return figures;
    }

    /** Each practice's face-to-face share of its GP attendances, and face-to-face attendances per 1,000 patients. */
    private Map<String, List<Ratio>> faceToFaceFigures(
            CohortRequest window, List<String> practices, Map<String, Long> registered) {
        Map<String, Ratio> shares = new HashMap<>();
        for (ReportQueries.MonthCount count : queries.consultations(
                practices, window.windowStart(), window.windowEnd(), terminology.faceToFaceModes())) {
            shares.merge(count.organization(), new Ratio(count.faceToFace(), count.consultations()), Ratio::plus);
        }
        Map<String, List<Ratio>> figures = new HashMap<>();
        for (String practice : practices) {
            Ratio share = shares.getOrDefault(practice, new Ratio(0, 0));
            figures.put(practice, List.of(share, new Ratio(share.numerator(), registered.getOrDefault(practice, 0L))));
        }
        return figures;
    }

    /** Groups by the ODS code of their organisation (those without one last), then by id. */
    private static List<String> groupOrder(java.util.Set<String> groups, Map<String, Organisation> organisations) {
        Comparator<String> byOds = Comparator.comparing(
                group -> organisations.containsKey(group)
                        ? organisations.get(group).odsCode()
                        : null,
                Comparator.nullsLast(Comparator.naturalOrder()));
        return groups.stream()
                .sorted(byOds.thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** Measure, subject, period and ranking context: what a rerun replaces. */
    private static String identifier(Request request, String practice, CohortRequest window) {
        return request.indicator().code() + "|Organization/" + practice + "|" + window.periodStart() + "/"
                + window.periodEnd() + "|ranked in Organization/" + request.scope()
                + (request.groupByPartOf() ? " by " + GROUP_BY_PART_OF : "");
    }
}
