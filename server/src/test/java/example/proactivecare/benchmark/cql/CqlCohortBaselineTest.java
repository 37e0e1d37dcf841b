package example.proactivecare.benchmark.cql;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.support.FhirServerTest;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
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
 *
 * <p>The server's checks of an attendance (duplicates, the future, outside the patient's life) and its rule that a
 * member is alive at the end of the window are pinned by pairs of patients on either side of the threshold: each has
 * 20 plain attendances and one more encounter that makes the 21st only when the check lets it through. The CQL's
 * members are also compared with {@code Group/$frequent-attenders} over the same data. An encounter after death cannot
 * be pinned this way: a patient who died in the window is never a member, whatever was counted.
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
    private static String duplicateWithinTenMinutes;
    private static String tenMinutesApart;
    private static String elevenMinutesApart;
    private static String twoAtTheSameInstant;
    private static String duplicateOfOneBeforeTheWindow;
    private static String elevenMinutesAfterOneBeforeTheWindow;
    private static String oneSecondBeforeBirth;
    private static String atMidnightStartingTheBirthDate;
    private static String diedInTheLastSecondOfTheWindow;
    private static String diedAsTheWindowCloses;
    private static CqlCohortBaseline.Result result;

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

        // 21 attendances, four of them on the edges of the window, inside it (more than 10 minutes apart)
        List<Encounter> edges = new ArrayList<>();
        edges.add(encounter(SURGERY, "finished", "2020-07-01T00:00:00+01:00")); // the moment it opens
        edges.add(encounter(SURGERY, "finished", "2021-06-30T23:45:00+01:00"));
        edges.add(encounter(TELEPHONE, "finished", "2020-06-30T23:30:00Z")); // 00:30 BST on 1 July 2020
        edges.add(encounter(SURGERY, "finished", "2021-06-30T22:59:59Z")); // its last second, 23:59:59 BST
        for (int i = 0; i < 17; i++) {
            edges.add(encounter(SURGERY, "finished", at(2021, 1 + i % 6, 1 + i, 10)));
        }
        onTheEdges = store(edges);

        // Duplicates: an encounter of the same category starting no more than 10 minutes after the one before it.
        // twenty() starts an attendance at 10:00 BST on 1 September 2020.
        duplicateWithinTenMinutes =
                store(twenty(encounter(TELEPHONE, "finished", "2020-09-01T10:05:00+01:00"))); // another mode
        tenMinutesApart = store(twenty(encounter(SURGERY, "finished", "2020-09-01T10:10:00+01:00")));
        elevenMinutesApart = store(twenty(encounter(SURGERY, "finished", "2020-09-01T10:11:00+01:00")));
        twoAtTheSameInstant = store(twenty(encounter(SURGERY, "finished", "2020-09-01T09:00:00Z")));
        // the one before lies before the window, 9 or 11 minutes before one in it
        duplicateOfOneBeforeTheWindow = store(twenty(
                encounter(SURGERY, "finished", "2020-06-30T23:56:00+01:00"),
                encounter(SURGERY, "finished", "2020-07-01T00:05:00+01:00")));
        elevenMinutesAfterOneBeforeTheWindow = store(twenty(
                encounter(SURGERY, "finished", "2020-06-30T23:54:00+01:00"),
                encounter(SURGERY, "finished", "2020-07-01T00:05:00+01:00")));

        // Born on 15 August 2020: local midnight starting that day is 2020-08-14T23:00Z
        oneSecondBeforeBirth = store(
                patient().setBirthDateElement(new DateType("2020-08-15")),
                twenty(encounter(SURGERY, "finished", "2020-08-14T22:59:59Z")));
        atMidnightStartingTheBirthDate = store(
                patient().setBirthDateElement(new DateType("2020-08-15")),
                twenty(encounter(SURGERY, "finished", "2020-08-14T23:00:00Z")));

        // 21 attendances each, and a death at the window's last second or as it closes
        diedInTheLastSecondOfTheWindow = store(
                patient().setDeceased(new DateTimeType("2021-06-30T22:59:59Z")),
                twenty(encounter(SURGERY, "finished", "2021-06-01T10:00:00+01:00")));
        diedAsTheWindowCloses = store(
                patient().setDeceased(new DateTimeType("2021-06-30T23:00:00Z")),
                twenty(encounter(SURGERY, "finished", "2021-06-01T10:00:00+01:00")));
    }

    /** The measure evaluated once over every patient, for the period ending on PERIOD_END, with threshold 20. */
    private CqlCohortBaseline.Result evaluated() throws Exception {
        if (result == null) {
            CqlCohortBaseline baseline = new CqlCohortBaseline(FHIR, URI.create(baseUrl()), Duration.ofMinutes(5));
            baseline.install();
            result = baseline.evaluate(PERIOD_END, CqlCohortBaseline.DEFAULT_THRESHOLD);
        }
        return result;
    }

    @Test
    void membersAreThePatientsWithMoreThanTwentyGpAttendancesInThe12MonthsEndingOnPeriodEnd() throws Exception {
        CqlCohortBaseline.Result result = evaluated();

        assertThat(result.members()).contains(withTwentyOne, onTheEdges);
        assertThat(result.members()).doesNotContain(withTwenty, withOneCancelled, outsideTheWindow);
        assertThat(result.elapsed()).isPositive();
    }

    @Test
    void anAttendanceNoMoreThanTenMinutesAfterTheOneBeforeIsADuplicate() throws Exception {
        List<String> members = evaluated().members();

        assertThat(members).doesNotContain(duplicateWithinTenMinutes, tenMinutesApart, twoAtTheSameInstant);
        assertThat(members).contains(elevenMinutesApart);
    }

    @Test
    void theAttendanceBeforeADuplicateMayLieBeforeTheWindow() throws Exception {
        List<String> members = evaluated().members();

        assertThat(members).doesNotContain(duplicateOfOneBeforeTheWindow);
        assertThat(members).contains(elevenMinutesAfterOneBeforeTheWindow);
    }

    @Test
    void anEncounterBeforeLocalMidnightStartingTheBirthDateIsNotAnAttendance() throws Exception {
        List<String> members = evaluated().members();

        assertThat(members).doesNotContain(oneSecondBeforeBirth);
        assertThat(members).contains(atMidnightStartingTheBirthDate);
    }

    @Test
    void aMemberIsAliveAtTheEndOfTheWindow() throws Exception {
        List<String> members = evaluated().members();

        assertThat(members).doesNotContain(diedInTheLastSecondOfTheWindow);
        assertThat(members).contains(diedAsTheWindowCloses);
    }

    @Test
    void theMembersAreExactlyThoseOfGroupFrequentAttenders() throws Exception {
        List<String> members = evaluated().members();

        assertThat(members)
                .containsExactlyInAnyOrder(
                        withTwentyOne,
                        onTheEdges,
                        elevenMinutesApart,
                        elevenMinutesAfterOneBeforeTheWindow,
                        atMidnightStartingTheBirthDate,
                        diedAsTheWindowCloses);
        assertThat(members).containsExactlyInAnyOrderElementsOf(frequentAttenders(PERIOD_END));
    }

    /**
     * An encounter after the moment of the request is in the future. The window is the 12 months starting on the
     * first of a summer month at least 20 days ago, so that it holds now with weeks to spare and starts in British
     * Summer Time: clinical reasoning's own Now() would then be the server's wall-clock time at +01:00, an hour early
     * on a server on UTC, and the attendance half an hour ago would wrongly be in the future.
     */
    @Test
    void anEncounterInTheFutureIsNotAnAttendance() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ClinicalReasoningConfig.DEFAULT_TIMEZONE);
        LocalDate windowStart = summerMonthStartBefore(now.toLocalDate().minusDays(20));
        LocalDate periodEnd = windowStart.plusMonths(12).minusDays(1);
        assertThat(CqlCohortBaseline.periodStart(periodEnd)).isEqualTo(windowStart);
        String halfAnHourAgo =
                store(twentySince(windowStart, encounter(SURGERY, "finished", instant(now.minusMinutes(30)))));
        String inAWeek = store(twentySince(windowStart, encounter(SURGERY, "planned", instant(now.plusDays(7)))));

        CqlCohortBaseline baseline = new CqlCohortBaseline(FHIR, URI.create(baseUrl()), Duration.ofMinutes(5));
        baseline.install();
        List<String> members = baseline.evaluate(periodEnd, CqlCohortBaseline.DEFAULT_THRESHOLD)
                .members();

        assertThat(members).containsExactly(halfAnHourAgo);
        assertThat(members).doesNotContain(inAWeek);
        assertThat(members).containsExactlyInAnyOrderElementsOf(frequentAttenders(periodEnd));
    }

    @Test
    void theThresholdIsAParameter() throws Exception {
        CqlCohortBaseline baseline = new CqlCohortBaseline(FHIR, URI.create(baseUrl()), Duration.ofMinutes(5));
        baseline.install();

        CqlCohortBaseline.Result result = baseline.evaluate(PERIOD_END, 19);

        // 20 attendances or more: the plain ones, and each of the pinned patients whatever its check says, but the
        // one who died in the window
        assertThat(result.members())
                .containsExactlyInAnyOrder(
                        withTwentyOne,
                        onTheEdges,
                        withTwenty,
                        withOneCancelled,
                        duplicateWithinTenMinutes,
                        tenMinutesApart,
                        elevenMinutesApart,
                        twoAtTheSameInstant,
                        duplicateOfOneBeforeTheWindow,
                        elevenMinutesAfterOneBeforeTheWindow,
                        oneSecondBeforeBirth,
                        atMidnightStartingTheBirthDate,
                        diedAsTheWindowCloses);
    }

    @Test
    void theWindowIsThe12MonthsEndingOnPeriodEnd() {
        assertThat(CqlCohortBaseline.periodStart(PERIOD_END)).isEqualTo(LocalDate.of(2020, 7, 1));
        assertThat(CqlCohortBaseline.periodStart(LocalDate.of(2021, 12, 31))).isEqualTo(LocalDate.of(2021, 1, 1));
    }

    /**
     * The members of the server's own gp-frequent-attender cohort ({@code Group/$frequent-attenders}, all practices,
     * not persisted) for the 12 months ending on periodEnd.
     */
    private List<String> frequentAttenders(LocalDate periodEnd) {
        Parameters answer = client.operation()
                .onType(Group.class)
                .named("$frequent-attenders")
                .withParameter(Parameters.class, "cohort", new CodeType("gp-frequent-attender"))
                .andParameter("periodEnd", new DateType(periodEnd.toString()))
                .andParameter("persist", new BooleanType(false))
                .useHttpGet()
                .execute();
        Group group = (Group) answer.getParameter("return").getResource();
        return group.getMember().stream()
                .filter(m -> !m.getInactive())
                .map(m -> m.getEntity().getReferenceElement().getIdPart())
                .toList();
    }

    /** 20 GP attendances on days from 1 September to 20 December 2020, at 10:00 local time, and the extra ones. */
    private static List<Encounter> twenty(Encounter... extra) {
        List<Encounter> encounters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            encounters.add(encounter(SURGERY, "finished", at(2020, 9 + i % 4, 1 + i, 10)));
        }
        encounters.addAll(List.of(extra));
        return encounters;
    }

    /** 20 GP attendances 12 hours apart from 10:00 local time the day after windowStart, and the extra ones. */
    private static List<Encounter> twentySince(LocalDate windowStart, Encounter... extra) {
        ZonedDateTime first = windowStart.plusDays(1).atTime(10, 0).atZone(ClinicalReasoningConfig.DEFAULT_TIMEZONE);
        List<Encounter> encounters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            encounters.add(encounter(SURGERY, "finished", instant(first.plusHours(12L * i))));
        }
        encounters.addAll(List.of(extra));
        return encounters;
    }

    /** The latest first of June, July, August or September on or before the day. */
    private static LocalDate summerMonthStartBefore(LocalDate day) {
        for (LocalDate month = day.withDayOfMonth(1); ; month = month.minusMonths(1)) {
            if (month.getMonthValue() >= 6 && month.getMonthValue() <= 9) {
                return month;
            }
        }
    }

    private static Patient patient() {
        return new Patient().addName(new HumanName().setFamily("Test"));
    }

    /** Stores a patient and its encounters in one transaction; returns the patient's id. */
    private String store(List<Encounter> encounters) {
        return store(patient(), encounters);
    }

    private String store(Patient patient, List<Encounter> encounters) {
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setFullUrl(patientUrl)
                .setResource(patient)
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

    /** An instant, to the second, written with its offset. */
    private static String instant(ZonedDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A local time in England on a day, written with its offset (BST in summer). */
    private static String at(int year, int month, int day, int hour) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                ZonedDateTime.of(year, month, day, hour, 0, 0, 0, ClinicalReasoningConfig.DEFAULT_TIMEZONE));
    }
}
