package example.proactivecare.reports;

import static example.proactivecare.cohort.CohortRequest.ZONE;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import example.proactivecare.reports.ReportQueries.MonthCount;
import example.proactivecare.reports.ReportQueries.Organisation;
import example.proactivecare.reports.ReportQueries.Practice;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

/**
 * {@code Organization/[id]/$access-report}: month by month, for the scope and each practice under it, consultations
 * against the same month of a baseline year and the face-to-face share (Measure gp-access), and the practices in the
 * bottom 20% by face-to-face share over the period.
 */
class AccessReportService {

    static final int DEFAULT_BASELINE_YEAR = 2019;
    static final YearMonth EARLIEST_MONTH = YearMonth.of(1990, 1);
    static final int MAX_MONTHS = 60;

    /** A checked request: the months from {@code start} to {@code end}, both included. */
    record Request(String scope, YearMonth start, YearMonth end, int baselineYear) {

        List<YearMonth> months() {
            List<YearMonth> months = new ArrayList<>();
            for (YearMonth month = start; !month.isAfter(end); month = month.plusMonths(1)) {
                months.add(month);
            }
            return months;
        }

        YearMonth baseline(YearMonth month) {
            return YearMonth.of(baselineYear, month.getMonth());
        }
    }

    /** The reports (the scope's first) and the practices in the bottom 20% by face-to-face share, lowest first. */
    record Result(List<MeasureReport> reports, List<Reference> lowestFaceToFace) {}

    /** Consultations and those face-to-face, of one organisation or summed. */
    private record Counts(long consultations, long faceToFace) {

        static final Counts NONE = new Counts(0, 0);

        Counts plus(Counts other) {
            return new Counts(consultations + other.consultations, faceToFace + other.faceToFace);
        }
    }

    private final ReportQueries queries;
    private final ReportTerminology terminology;
    private final ReportScopes scopes;
    private final MeasureReportStore store;

    AccessReportService(
            ReportQueries queries, ReportTerminology terminology, ReportScopes scopes, MeasureReportStore store) {
        this.queries = queries;
        this.terminology = terminology;
        this.scopes = scopes;
        this.store = store;
    }

    /** Checks the parameters and the scope before any work: 400 for anything wrong. */
    Request request(String scope, DateType start, DateType end, Integer baselineYear, RequestDetails requestDetails) {
        YearMonth first = month("start", start);
        YearMonth last = month("end", end);
        if (last.isBefore(first)) {
            throw new InvalidRequestException(
                    "Parameters start and end: the months are out of order (" + first + " is after " + last + ")");
        }
        if (ChronoUnit.MONTHS.between(first, last) + 1 > MAX_MONTHS) {
            throw new InvalidRequestException("Parameters start and end: " + first + " to " + last + " is more than "
                    + MAX_MONTHS + " months; ask for a shorter period");
        }
        int baseline = baselineYear == null ? DEFAULT_BASELINE_YEAR : baselineYear;
        int thisYear = LocalDate.now(ZONE).getYear();
        if (baseline < EARLIEST_MONTH.getYear() || baseline > thisYear) {
            throw new InvalidRequestException("Parameter baselineYear: " + baseline + " is not between "
                    + EARLIEST_MONTH.getYear() + " and " + thisYear);
        }
        scopes.organization(scope, requestDetails);
        return new Request(scope, first, last, baseline);
    }

    Result report(Request request, boolean persist, RequestDetails requestDetails) {
        Organization scope = scopes.organization(request.scope(), requestDetails);
        Map<String, Organisation> organisations = queries.organizations(request.scope());
        Set<String> counted = new LinkedHashSet<>(organisations.keySet());
        counted.add(request.scope());
        // the practices under the scope; the scope itself when it is a practice (its report is the scope's)
        List<Practice> practices = queries.practices(request.scope()).stream()
                .filter(Practice::active)
                .sorted(Comparator.comparing(Practice::odsCode, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Practice::id))
                .toList();

        List<YearMonth> months = request.months();
        Map<String, Map<YearMonth, Counts>> current = counts(counted, months.get(0), months.get(months.size() - 1));
        YearMonth firstBaseline = months.stream()
                .map(request::baseline)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        YearMonth lastBaseline = months.stream()
                .map(request::baseline)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Map<String, Map<YearMonth, Counts>> baseline = counts(counted, firstBaseline, lastBaseline);

        Date now = new Date();
        Reference reporter = ReportScopes.reference(request.scope(), scope.getName());
        List<MeasureReport> reports = new ArrayList<>();
        MeasureReport scopeReport = report(
                request,
                MeasureReports.subject(request.scope(), scope.getName()),
                reporter,
                now,
                sum(current, counted),
                sum(baseline, counted));
        reports.add(scopeReport);

        List<Ranking.Candidate> withConsultations = new ArrayList<>();
        for (Practice practice : practices) {
            Map<YearMonth, Counts> own = current.getOrDefault(practice.id(), Map.of());
            if (!practice.id().equals(request.scope())) {
                reports.add(report(
                        request,
                        MeasureReports.subject(practice.id(), practice.name()),
                        reporter,
                        now,
                        own,
                        baseline.getOrDefault(practice.id(), Map.of())));
            }
            Counts period =
                    months.stream().map(m -> own.getOrDefault(m, Counts.NONE)).reduce(Counts.NONE, Counts::plus);
            if (period.consultations() > 0) {
                withConsultations.add(new Ranking.Candidate(
                        practice.id(),
                        practice.odsCode(),
                        request.scope(),
                        new Ratio(period.faceToFace(), period.consultations()),
                        period.faceToFace()));
            }
        }

        // the bottom 20%, rounded up to whole practices: ceil(n / 5), in the ranking's order for the share
        boolean highestFirst = terminology
                .indicators()
                .get(ReportTerminology.FACE_TO_FACE_SHARE)
                .highestFirst();
        Map<String, String> names = new HashMap<>();
        practices.forEach(p -> names.put(p.id(), p.name()));
        List<Reference> lowest = withConsultations.stream()
                .sorted(Ranking.order(highestFirst))
                .limit((withConsultations.size() + 4) / 5)
                .map(c -> ReportScopes.reference(c.practice(), names.get(c.practice())))
                .toList();
        lowest.forEach(practice -> scopeReport.addExtension(MeasureReports.LOWEST_FACE_TO_FACE, practice.copy()));

        if (persist) {
            store.store(reports, requestDetails);
        }
        return new Result(reports, lowest);
    }

    /** One subject's report: its counts by month and those of the baseline months. */
    private MeasureReport report(
            Request request,
            Reference subject,
            Reference reporter,
            Date now,
            Map<YearMonth, Counts> current,
            Map<YearMonth, Counts> baseline) {
        Measure measure = terminology.access();
        MeasureReport report = MeasureReports.report(
                measure,
                subject,
                reporter,
                request.start().atDay(1),
                request.end().atEndOfMonth(),
                now,
                ReportTerminology.ACCESS_MEASURE + "|" + subject.getIdentifier().getValue() + "|" + request.start()
                        + "/" + request.end() + "|baseline " + request.baselineYear());
        Ratio againstBaseline = new Ratio(0, 0);
        Ratio share = new Ratio(0, 0);
        List<YearMonth> months = request.months();
        for (YearMonth month : months) {
            Counts inMonth = current.getOrDefault(month, Counts.NONE);
            Counts then = baseline.getOrDefault(request.baseline(month), Counts.NONE);
            againstBaseline = againstBaseline.plus(new Ratio(inMonth.consultations(), then.consultations()));
            share = share.plus(new Ratio(inMonth.faceToFace(), inMonth.consultations()));
        }
        var variance =
                MeasureReports.group(report, measure, 0, againstBaseline, MeasureReports.variance(againstBaseline));
        var faceToFace = MeasureReports.group(report, measure, 1, share, MeasureReports.Scale.PERCENT);
        var byMonth = MeasureReports.stratifier(variance, measure, 0);
        var shareByMonth = MeasureReports.stratifier(faceToFace, measure, 1);
        for (YearMonth month : months) {
            Counts inMonth = current.getOrDefault(month, Counts.NONE);
            Counts then = baseline.getOrDefault(request.baseline(month), Counts.NONE);
            Ratio monthAgainstBaseline = new Ratio(inMonth.consultations(), then.consultations());
            MeasureReports.stratum(
                    byMonth,
                    measure,
                    0,
                    month.toString(),
                    monthAgainstBaseline,
                    MeasureReports.variance(monthAgainstBaseline));
            Ratio monthShare = new Ratio(inMonth.faceToFace(), inMonth.consultations());
            MeasureReports.stratum(
                    shareByMonth,
                    measure,
                    1,
                    month.toString(),
                    monthShare,
                    monthShare.defined() ? MeasureReports.Scale.PERCENT.score(monthShare) : null);
        }
        return report;
    }

    /** Consultations per organisation and month, for the months first to last. */
    private Map<String, Map<YearMonth, Counts>> counts(Set<String> organisations, YearMonth first, YearMonth last) {
        Map<String, Map<YearMonth, Counts>> counts = new HashMap<>();
        for (MonthCount count : queries.consultations(
                organisations,
                first.atDay(1).atStartOfDay(ZONE),
                last.plusMonths(1).atDay(1).atStartOfDay(ZONE),
                terminology.faceToFaceModes())) {
            counts.computeIfAbsent(count.organization(), o -> new HashMap<>())
                    .merge(count.month(), new Counts(count.consultations(), count.faceToFace()), Counts::plus);
        }
        return counts;
    }

    /** The counts of several organisations summed, month by month. */
    private static Map<YearMonth, Counts> sum(Map<String, Map<YearMonth, Counts>> counts, Set<String> organisations) {
        Map<YearMonth, Counts> sum = new HashMap<>();
        organisations.forEach(organisation ->
                counts.getOrDefault(organisation, Map.of()).forEach((month, c) -> sum.merge(month, c, Counts::plus)));
        return sum;
    }

    /** A month parameter: YYYY-MM, not before 1990-01; 400 otherwise. */
    private static YearMonth month(String name, DateType value) {
        if (value == null || value.getValue() == null) {
            throw new InvalidRequestException("Parameter " + name + " is required: a month, such as 2021-06");
        }
        if (value.getPrecision() != TemporalPrecisionEnum.MONTH) {
            throw new InvalidRequestException(
                    "Parameter " + name + ": give a month, such as 2021-06, not " + value.getValueAsString());
        }
        YearMonth month = YearMonth.of(value.getYear(), Month.of(value.getMonth() + 1));
        if (month.isBefore(EARLIEST_MONTH)) {
            throw new InvalidRequestException(
                    "Parameter " + name + ": " + month + " is before " + EARLIEST_MONTH + ", earlier than any record");
        }
        return month;
    }
}
