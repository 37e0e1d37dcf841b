package example.proactivecare.dataquality;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import example.proactivecare.cohort.CohortRequest;
import example.proactivecare.cohort.CohortService;
import example.proactivecare.database.SqlFiles;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Data-quality findings per practice, as MeasureReports of the Measure {@code practice-data-quality} (its groups, in
 * order, are the findings; the SQL names them by the same codes).
 */
public class DataQualityService {

    static final String MEASURE_URL = CANONICAL_BASE + "/Measure/practice-data-quality";
    static final String MEMBERS_AFFECTED = "cohort-members-affected";
    static final String POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population";
    static final String FINDING_SYSTEM = CANONICAL_BASE + "/CodeSystem/data-quality-finding";
    /** How many unmapped codes a report lists per practice. */
    static final int TOP_CODES = 10;

    private record Count(long records, long membersAffected) {}

    private record UnmappedCode(String system, String code, String display, long encounters) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final CohortService cohorts;
    private final Measure measure;
    private final String practices = SqlFiles.read(DataQualityService.class, "practices");
    private final String registeredPatients = SqlFiles.read(DataQualityService.class, "registered-patients");
    private final String findings = SqlFiles.read(DataQualityService.class, "data-quality");
    private final String unmappedCodes = SqlFiles.read(DataQualityService.class, "unmapped-codes");

    DataQualityService(NamedParameterJdbcTemplate jdbc, CohortService cohorts, Measure measure) {
        this.jdbc = jdbc;
        this.cohorts = cohorts;
        this.measure = measure;
    }

    /** 400 when the scope is not a stored Organization. */
    public void check(String scope, RequestDetails requestDetails) {
        cohorts.scopeOrganization(scope, requestDetails);
    }

    /** One MeasureReport per practice under the scope, in practice id order. */
    public List<MeasureReport> report(
            String scope, LocalDate periodEnd, int periodMonths, RequestDetails requestDetails) {
        Organization scopeOrganization = cohorts.scopeOrganization(scope, requestDetails);
        List<String> organizations = cohorts.organizationsUnder(scope);
        CohortRequest window = new CohortRequest(null, scope, periodEnd, periodMonths, null);
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("organizations", organizations.toArray(String[]::new))
                .addValue("period_start", window.windowStart().toOffsetDateTime())
                .addValue("period_end", window.windowEnd().toOffsetDateTime())
                .addValue("stale_before", window.windowEnd().minusYears(1).toOffsetDateTime());
        Map<String, String> practiceNames = new java.util.LinkedHashMap<>();
        jdbc.query(practices, parameters, rs -> {
            practiceNames.put(rs.getString("id"), rs.getString("name"));
        });
        parameters.addValue("practices", practiceNames.keySet().toArray(String[]::new));
        List<String> patients = jdbc.queryForList(registeredPatients, parameters, String.class);
        parameters.addValue("patients", patients.toArray(String[]::new));
        parameters.addValue(
                "members",
                cohorts.anyCohortMembers(scope, periodEnd, periodMonths).toArray(String[]::new));

        Map<String, Map<String, Count>> counts = new HashMap<>();
        jdbc.query(findings, parameters, rs -> {
            counts.computeIfAbsent(rs.getString("practice"), p -> new HashMap<>())
                    .put(rs.getString("finding"), new Count(rs.getLong("records"), rs.getLong("members_affected")));
        });
        Map<String, List<UnmappedCode>> codes = new HashMap<>();
        jdbc.query(unmappedCodes, parameters, rs -> {
            List<UnmappedCode> list = codes.computeIfAbsent(rs.getString("practice"), p -> new ArrayList<>());
            if (list.size() < TOP_CODES) {
                list.add(new UnmappedCode(
                        rs.getString("system"),
                        rs.getString("code"),
                        rs.getString("display"),
                        rs.getLong("encounters")));
            }
        });

        Date now = new Date();
        List<MeasureReport> reports = new ArrayList<>();
        practiceNames.forEach((practice, name) -> reports.add(report(
                practice,
                name,
                scopeOrganization,
                window,
                now,
                counts.getOrDefault(practice, Map.of()),
                codes.getOrDefault(practice, List.of()))));
        return reports;
    }

    private MeasureReport report(
            String practice,
            String name,
            Organization scope,
            CohortRequest window,
            Date now,
            Map<String, Count> counts,
            List<UnmappedCode> codes) {
        MeasureReport report = new MeasureReport()
                .setStatus(MeasureReport.MeasureReportStatus.COMPLETE)
                .setType(MeasureReport.MeasureReportType.SUMMARY)
                .setMeasure(MEASURE_URL)
                .setSubject(new Reference("Organization/" + practice).setDisplay(name))
                .setDate(now)
                .setReporter(
                        new Reference("Organization/" + scope.getIdElement().getIdPart()))
                .setPeriod(new Period()
                        .setStartElement(new DateTimeType(window.periodStart().toString()))
                        .setEndElement(new DateTimeType(window.periodEnd().toString())));
        for (Measure.MeasureGroupComponent group : measure.getGroup()) {
            String finding = group.getCode().getCodingFirstRep().getCode();
            Count count = counts.getOrDefault(finding, new Count(0, 0));
            MeasureReport.MeasureReportGroupComponent reported =
                    report.addGroup().setCode(group.getCode().copy());
            reported.addPopulation()
                    .setCode(new CodeableConcept(new Coding(POPULATION_SYSTEM, "initial-population", null)))
                    .setCount((int) count.records());
            reported.addPopulation()
                    .setCode(new CodeableConcept(new Coding(FINDING_SYSTEM, MEMBERS_AFFECTED, null)))
                    .setCount((int) count.membersAffected());
            if (group.hasStratifier()) {
                var stratifier = reported.addStratifier()
                        .addCode(group.getStratifierFirstRep().getCode().copy());
                for (UnmappedCode code : codes) {
                    var stratum = stratifier
                            .addStratum()
                            .setValue(new CodeableConcept(new Coding(code.system(), code.code(), code.display())));
                    stratum.addPopulation()
                            .setCode(new CodeableConcept(new Coding(POPULATION_SYSTEM, "initial-population", null)))
                            .setCount((int) code.encounters());
                }
            }
        }
        return report;
    }
}
