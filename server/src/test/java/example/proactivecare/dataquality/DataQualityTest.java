package example.proactivecare.dataquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestRecords;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Organization/$data-quality on a hand-built PCN of two practices, over 2021. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataQualityTest extends FhirServerTest {

    private static final String SCT = TestRecords.SCT;
    private static final String GP_SURGERY = TestRecords.GP_SURGERY;
    private static final String LOCAL_CODES = "https://gp-system.example/local-codes";

    private final TestRecords records = new TestRecords();

    @BeforeAll
    void storeTheTestPcn() {
        connectClient();
        records.organization("dq-pcn", null);
        records.organization("dq-practice-a", "dq-pcn");
        records.organization("dq-practice-b", "dq-pcn");

        // a cohort member: 21 GP attendances, plus a duplicate, one before birth, one in the future
        records.patient("dq-member", "dq-practice-a", "1950-05-01");
        records.gpAttendances("dq-member", 21, "2021-01-04T09:00");
        records.encounter("dq-member", SCT, GP_SURGERY, "AMB", Encounter.EncounterStatus.FINISHED, "2021-01-04T09:04");
        records.encounter("dq-member", SCT, GP_SURGERY, "AMB", Encounter.EncounterStatus.FINISHED, "1940-01-04T09:00");
        records.encounter("dq-member", SCT, GP_SURGERY, "AMB", Encounter.EncounterStatus.FINISHED, "2099-01-04T09:00");
        records.medication("dq-member", "40001", "2019-06-01", null); // no end, started long ago: stale
        records.medication("dq-member", "40002", "2021-11-01", null); // no end, recent: not stale

        // not a member: a duplicate and two unclassified encounters with a local code
        records.patient("dq-other", "dq-practice-a", "1980-05-01");
        records.gpAttendances("dq-other", 3, "2021-03-01T10:00");
        records.encounter("dq-other", SCT, GP_SURGERY, "AMB", Encounter.EncounterStatus.FINISHED, "2021-03-01T10:02");
        records.encounter(
                "dq-other", LOCAL_CODES, "CLINIC-X", "FLD", Encounter.EncounterStatus.FINISHED, "2021-05-01T10:00");
        records.encounter(
                "dq-other", LOCAL_CODES, "CLINIC-X", "FLD", Encounter.EncounterStatus.FINISHED, "2021-06-01T10:00");

        // born in the window: attendances dated before the birth are not attendances
        records.patient("dq-baby", "dq-practice-b", "2021-03-01");
        records.gpAttendances("dq-baby", 21, "2021-01-04T09:00");

        records.store(client);
    }

    @Test
    void eachPracticeGetsAReportWithEveryFindingAndTheCohortMembersItAffects() {
        List<MeasureReport> reports = dataQuality("dq-pcn");

        assertThat(reports)
                .extracting(r -> r.getSubject().getReference())
                .containsExactly("Organization/dq-practice-a", "Organization/dq-practice-b");
        MeasureReport a = reports.get(0);
        assertThat(a.getMeasure()).isEqualTo("https://proactivecare.example/fhir/Measure/practice-data-quality");
        assertThat(a.getPeriod().getStartElement().getValueAsString()).isEqualTo("2021-01-01");
        assertThat(finding(a, "duplicate-encounter")).containsExactly(2, 1);
        assertThat(finding(a, "unclassified-encounter")).containsExactly(2, 0);
        assertThat(finding(a, "future-encounter")).containsExactly(1, 1);
        assertThat(finding(a, "encounter-outside-life")).containsExactly(1, 1);
        assertThat(finding(a, "stale-medication")).containsExactly(1, 1);
    }

    @Test
    void unclassifiedEncountersListTheirCodesSoTheFixIsAMapping() {
        MeasureReport a = dataQuality("dq-pcn").get(0);

        var unclassified = group(a, "unclassified-encounter");
        var strata = unclassified.getStratifierFirstRep().getStratum();
        assertThat(strata)
                .extracting(s -> s.getValue().getCodingFirstRep().getCode())
                .contains("CLINIC-X", "FLD");
        assertThat(strata.get(0).getPopulationFirstRep().getCount()).isEqualTo(2);
    }

    @Test
    void aPracticeScopeReportsThatPracticeOnly() {
        List<MeasureReport> reports = dataQuality("dq-practice-b");

        assertThat(reports).singleElement().satisfies(r -> assertThat(finding(r, "encounter-outside-life"))
                .containsExactly(8, 0));
    }

    @Test
    void duplicatesAndEncountersOutsideThePatientsLifeAreNotCountedAsAttendances() {
        Parameters member = cohort("dq-practice-a", 21);
        assertThat(gpAttendances(member, "dq-member")).isEqualTo(21);

        Parameters baby = cohort("dq-practice-b", 10);
        assertThat(gpAttendances(baby, "dq-baby")).isEqualTo(13);
    }

    @Test
    void aScopeThatIsNotAStoredOrganizationIs400() {
        assertThatThrownBy(() -> client.operation()
                        .onInstance(new IdType("Organization", "no-such-practice"))
                        .named("$data-quality")
                        .withNoParameters(Parameters.class)
                        .useHttpGet()
                        .execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("is not known");
    }

    private List<MeasureReport> dataQuality(String organization) {
        Parameters result = client.operation()
                .onInstance(new IdType("Organization", organization))
                .named("$data-quality")
                .withParameter(Parameters.class, "periodEnd", new DateType("2021-12-31"))
                .useHttpGet()
                .execute();
        return result.getParameter().stream()
                .map(p -> (MeasureReport) p.getResource())
                .toList();
    }

    private Parameters cohort(String scope, int minGpAttendances) {
        return client.operation()
                .onType(Group.class)
                .named("$frequent-attenders")
                .withParameter(Parameters.class, "cohort", new CodeType("gp-frequent-attender"))
                .andParameter("scope", new Reference("Organization/" + scope))
                .andParameter("periodEnd", new DateType("2021-12-31"))
                .andParameter("minGpAttendances", new IntegerType(minGpAttendances))
                .andParameter("persist", new BooleanType(false))
                .execute();
    }

    private static int gpAttendances(Parameters result, String patient) {
        Group group = (Group) result.getParameter("return").getResource();
        Extension figures = group.getMember().stream()
                .filter(m -> m.getEntity().getReference().equals("Patient/" + patient))
                .findFirst()
                .orElseThrow()
                .getExtensionByUrl("https://proactivecare.example/fhir/StructureDefinition/cohort-member-figures");
        return ((UnsignedIntType) figures.getExtensionByUrl("gpAttendances").getValue()).getValue();
    }

    private static MeasureReport.MeasureReportGroupComponent group(MeasureReport report, String finding) {
        return report.getGroup().stream()
                .filter(g -> g.getCode().getCodingFirstRep().getCode().equals(finding))
                .findFirst()
                .orElseThrow();
    }

    /** The finding's record count and the cohort members it affects. */
    private static List<Integer> finding(MeasureReport report, String finding) {
        var group = group(report, finding);
        return List.of(
                group.getPopulation().get(0).getCount(),
                group.getPopulation().get(1).getCount());
    }
}
