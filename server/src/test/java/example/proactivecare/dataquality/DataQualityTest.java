package example.proactivecare.dataquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import example.proactivecare.support.FhirServerTest;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Organization/$data-quality on a hand-built PCN of two practices, over 2021. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataQualityTest extends FhirServerTest {

    private static final String SCT = "http://snomed.info/sct";
    private static final String GP_SURGERY = "185202000";
    private static final String LOCAL_CODES = "https://gp-system.example/local-codes";
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private final List<Resource> resources = new ArrayList<>();
    private int serial;

    @BeforeAll
    void storeTheTestPcn() {
        connectClient();
        organization("dq-pcn", null);
        organization("dq-practice-a", "dq-pcn");
        organization("dq-practice-b", "dq-pcn");

        // a cohort member: 21 GP attendances, plus a duplicate, one before birth, one in the future
        patient("dq-member", "dq-practice-a", "1950-05-01");
        gpAttendances("dq-member", 21, "2021-01-04T09:00");
        encounter("dq-member", SCT, GP_SURGERY, "AMB", "2021-01-04T09:04");
        encounter("dq-member", SCT, GP_SURGERY, "AMB", "1940-01-04T09:00");
        encounter("dq-member", SCT, GP_SURGERY, "AMB", "2099-01-04T09:00");
        medication("dq-member", "2019-06-01"); // no end, started long ago: stale
        medication("dq-member", "2021-11-01"); // no end, recent: not stale

        // not a member: a duplicate and two unclassified encounters with a local code
        patient("dq-other", "dq-practice-a", "1980-05-01");
        gpAttendances("dq-other", 3, "2021-03-01T10:00");
        encounter("dq-other", SCT, GP_SURGERY, "AMB", "2021-03-01T10:02");
        encounter("dq-other", LOCAL_CODES, "CLINIC-X", "FLD", "2021-05-01T10:00");
        encounter("dq-other", LOCAL_CODES, "CLINIC-X", "FLD", "2021-06-01T10:00");

        // born in the window: attendances dated before the birth are not attendances
        patient("dq-baby", "dq-practice-b", "2021-03-01");
        gpAttendances("dq-baby", 21, "2021-01-04T09:00");

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource resource : resources) {
            transaction
                    .addEntry()
                    .setResource(resource)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        client.transaction().withBundle(transaction).execute();
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

    private void organization(String id, String partOf) {
        Organization organization = new Organization().setName("Test " + id);
        organization.setId(id);
        if (partOf != null) {
            organization.setPartOf(new Reference("Organization/" + partOf));
        }
        resources.add(organization);
    }

    private void patient(String id, String practice, String birthDate) {
        Patient patient = new Patient().setBirthDateElement(new DateType(birthDate));
        patient.addGeneralPractitioner(new Reference("Organization/" + practice));
        patient.setId(id);
        resources.add(patient);
    }

    private void gpAttendances(String patient, int count, String first) {
        LocalDateTime start = LocalDateTime.parse(first);
        for (int i = 0; i < count; i++) {
            encounter(patient, SCT, GP_SURGERY, "AMB", start.plusWeeks(i).toString());
        }
    }

    private void encounter(String patient, String system, String type, String classCode, String start) {
        Date at = Date.from(LocalDateTime.parse(start).atZone(LONDON).toInstant());
        Encounter encounter = new Encounter()
                .setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", classCode, null))
                .setSubject(new Reference("Patient/" + patient))
                .setPeriod(new Period().setStart(at));
        encounter.addType(new CodeableConcept(new Coding(system, type, null)));
        encounter.setId(patient + "-enc-" + (++serial));
        resources.add(encounter);
    }

    private void medication(String patient, String start) {
        MedicationStatement statement = new MedicationStatement()
                .setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
                .setMedication(new CodeableConcept(new Coding("https://dmd.nhs.uk", "4000" + (++serial), null)))
                .setSubject(new Reference("Patient/" + patient))
                .setEffective(new DateTimeType(start));
        statement.setId(patient + "-med-" + serial);
        resources.add(statement);
    }
}
