package example.proactivecare.benchmark.cql;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.support.FhirServerTest;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * The benchmark's CQL baseline against a server running HAPI clinical reasoning: hand-built patients around the
 * threshold (more than 20 GP attendances) and around the edges of the 12-month window, and exactly the right members.
 *
 * <p>The period ends on 2021-06-30, in British Summer Time, so the window is 2020-07-01T00:00+01:00 (inclusive) to
 * 2021-07-01T00:00+01:00 (exclusive).
 */
@ActiveProfiles(ClinicalReasoningConfig.PROFILE)
// The CQL baseline is measured by the benchmark, whose servers run without security (ServerProcess); so does this one.
@TestPropertySource(
        properties = {"proactivecare.test.database=clinical-reasoning", "proactivecare.security.enabled=false"})
class CqlCohortBaselineTest extends FhirServerTest {

    private static final LocalDate PERIOD_END = LocalDate.of(2021, 6, 30);
    private static final String SNOMED = "http://snomed.info/sct";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /** Encounter shapes, as GP systems and the generator write them. */
    private static final Shape SURGERY = new Shape(ACT_CODE, "AMB", SNOMED, "185202000"); // type: gp-attendance

    private static final Shape TELEPHONE = new Shape(ACT_CODE, "VR", SNOMED, "185317003"); // by class: gp-attendance
    private static final Shape HOME_VISIT = new Shape(ACT_CODE, "HH", SNOMED, "439708006"); // by class: gp-attendance
    private static final Shape DID_NOT_ATTEND = new Shape(ACT_CODE, "AMB", SNOMED, "281399006"); // not-an-appointment
    private static final Shape ED = new Shape(ACT_CODE, "EMER", SNOMED, "4525004"); // ed-attendance

    private record Shape(String classSystem, String classCode, String typeSystem, String typeCode) {}

    // Stored once for the class (the server outlives each test instance)
    private static String withTwentyOne;
    private static String withTwenty;
    private static String withOneCancelled;
    private static String outsideTheWindow;
    private static String onTheEdges;

    @BeforeEach
    void storePatients() {
        if (withTwentyOne != null) {
            return;
        }
        // 21 GP attendances in the window (surgery, telephone and home visits, one still in progress), a DNA and an
        // ED attendance that do not count, and 40 attendances the year before: 63 encounters, more than a page
        List<Encounter> twentyOne = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            twentyOne.add(encounter(SURGERY, "finished", at(2019, 9, 1 + i % 28, 10)));
        }
        for (int i = 0; i < 13; i++) {
            twentyOne.add(encounter(SURGERY, "finished", at(2020, 8 + i % 5, 3 + i, 9)));
        }
        for (int i = 0; i < 5; i++) {
            twentyOne.add(encounter(TELEPHONE, "finished", at(2021, 1 + i, 10, 14)));
        }
        twentyOne.add(encounter(HOME_VISIT, "finished", at(2021, 2, 20, 11)));
        twentyOne.add(encounter(HOME_VISIT, "finished", at(2021, 3, 20, 11)));
        twentyOne.add(encounter(SURGERY, "in-progress", at(2021, 6, 29, 16)));
        twentyOne.add(encounter(DID_NOT_ATTEND, "finished", at(2021, 4, 1, 9)));
        twentyOne.add(encounter(ED, "finished", at(2021, 4, 2, 23)));
        withTwentyOne = store(twentyOne);

        // 20 GP attendances, with DNAs and ED attendances in the window that must not count
        List<Encounter> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(encounter(i % 2 == 0 ? SURGERY : TELEPHONE, "finished", at(2020, 9 + i % 4, 1 + i, 10)));
        }
        for (int i = 0; i < 5; i++) {
            twenty.add(encounter(DID_NOT_ATTEND, "finished", at(2021, 2, 1 + i, 10)));
            twenty.add(encounter(ED, "finished", at(2021, 3, 1 + i, 2)));
        }
        withTwenty = store(twenty);

        // 21 in the window, one of them cancelled: 20 attendances
        List<Encounter> cancelled = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            cancelled.add(encounter(SURGERY, i == 7 ? "cancelled" : "finished", at(2020, 11, 1 + i, 10)));
        }
        withOneCancelled = store(cancelled);

        // 21 attendances, every one outside the window, some by a second or by the offset
        List<Encounter> outside = new ArrayList<>();
        outside.add(encounter(SURGERY, "finished", "2020-06-30T23:59:59+01:00")); // a second before it opens
        outside.add(encounter(SURGERY, "finished", "2021-07-01T00:00:00+01:00")); // the moment it closes
        outside.add(encounter(TELEPHONE, "finished", "2021-06-30T23:30:00Z")); // 00:30 BST on 1 July
        outside.add(encounter(SURGERY, "finished", "2020-06-30T22:59:59Z")); // 23:59:59 BST on 30 June 2020
        for (int i = 0; i < 17; i++) {
            outside.add(encounter(SURGERY, "finished", at(2020, 1 + i % 6, 1 + i, 10)));
        }
        outsideTheWindow = store(outside);

        // 21 attendances, four of them on the edges of the window, inside it
        List<Encounter> edges = new ArrayList<>();
        edges.add(encounter(SURGERY, "finished", "2020-07-01T00:00:00+01:00")); // the moment it opens
        edges.add(encounter(SURGERY, "finished", "2021-06-30T23:59:59+01:00")); // its last second
        edges.add(encounter(TELEPHONE, "finished", "2020-06-30T23:30:00Z")); // 00:30 BST on 1 July 2020
        edges.add(encounter(SURGERY, "finished", "2021-06-30T22:59:59Z")); // 23:59:59 BST on 30 June 2021
        for (int i = 0; i < 17; i++) {
            edges.add(encounter(SURGERY, "finished", at(2021, 1 + i % 6, 1 + i, 10)));
        }
        onTheEdges = store(edges);
    }

    @Test
    void membersAreThePatientsWithMoreThanTwentyGpAttendancesInThe12MonthsEndingOnPeriodEnd() throws Exception {
        CqlCohortBaseline baseline = new CqlCohortBaseline(FHIR, URI.create(baseUrl()), Duration.ofMinutes(5));
        baseline.install();

        CqlCohortBaseline.Result result = baseline.evaluate(PERIOD_END, CqlCohortBaseline.DEFAULT_THRESHOLD);

        assertThat(result.members()).containsExactlyInAnyOrder(withTwentyOne, onTheEdges);
        assertThat(result.members()).doesNotContain(withTwenty, withOneCancelled, outsideTheWindow);
        assertThat(result.elapsed()).isPositive();
    }

    @Test
    void theThresholdIsAParameter() throws Exception {
        CqlCohortBaseline baseline = new CqlCohortBaseline(FHIR, URI.create(baseUrl()), Duration.ofMinutes(5));
        baseline.install();

        CqlCohortBaseline.Result result = baseline.evaluate(PERIOD_END, 19);

        assertThat(result.members()).containsExactlyInAnyOrder(withTwentyOne, onTheEdges, withTwenty, withOneCancelled);
    }

    @Test
    void theWindowIsThe12MonthsEndingOnPeriodEnd() {
        assertThat(CqlCohortBaseline.periodStart(PERIOD_END)).isEqualTo(LocalDate.of(2020, 7, 1));
        assertThat(CqlCohortBaseline.periodStart(LocalDate.of(2021, 12, 31))).isEqualTo(LocalDate.of(2021, 1, 1));
    }

    /** Stores a patient and its encounters in one transaction; returns the patient's id. */
    private String store(List<Encounter> encounters) {
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setFullUrl(patientUrl)
                .setResource(new Patient().addName(new HumanName().setFamily("Test")))
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Patient");
        for (Encounter encounter : encounters) {
            encounter.setSubject(new Reference(patientUrl));
            transaction
                    .addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(encounter)
                    .getRequest()
                    .setMethod(HTTPVerb.POST)
                    .setUrl("Encounter");
        }
        Bundle response = client.transaction().withBundle(transaction).execute();
        return new IdType(response.getEntryFirstRep().getResponse().getLocation()).getIdPart();
    }

    private static Encounter encounter(Shape shape, String status, String start) {
        Encounter encounter = new Encounter();
        encounter.setStatus(EncounterStatus.fromCode(status));
        encounter.setClass_(new Coding(shape.classSystem(), shape.classCode(), null));
        encounter.addType(new CodeableConcept(new Coding(shape.typeSystem(), shape.typeCode(), null)));
        encounter.getPeriod().setStartElement(new DateTimeType(start));
        return encounter;
    }

    /** A local time in England on a day, written with its offset (BST in summer). */
    private static String at(int year, int month, int day, int hour) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                ZonedDateTime.of(year, month, day, hour, 0, 0, 0, ClinicalReasoningConfig.DEFAULT_TIMEZONE));
    }
}
