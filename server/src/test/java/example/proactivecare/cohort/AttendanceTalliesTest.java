package example.proactivecare.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestRecords;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Group.GroupMemberComponent;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Derivation reads a window's whole past months from the attendance tallies and its other days from the encounters
 * (migrations V4 and V6). These tests pin that the two agree wherever the window falls, and that the tallies follow every
 * change to the encounters and patients. Each patient is registered at a practice of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttendanceTalliesTest extends FhirServerTest {

    private final TestRecords records = new TestRecords();

    @BeforeAll
    void storeTheTestPatients() {
        connectClient();
        records.organization("at-icb", null);
        for (String patient : new String[] {"at-head", "at-tail", "at-delete", "at-cancel", "at-born", "at-rollback"}) {
            records.organization(patient + "-practice", "at-icb");
            records.patient(patient, patient + "-practice", "1960-05-01");
            // 20 a week apart, 2021-01-04 to 2021-05-17: whole months of any window below
            records.gpAttendances(patient, 20, "2021-01-04T09:00");
        }
        // the 21st in the days before the first whole month, with a duplicate five minutes later
        records.encounter(
                "at-head",
                TestRecords.SCT,
                TestRecords.GP_SURGERY,
                "AMB",
                Encounter.EncounterStatus.FINISHED,
                "2020-12-24T10:00");
        records.encounter(
                "at-head",
                TestRecords.SCT,
                TestRecords.GP_SURGERY,
                "AMB",
                Encounter.EncounterStatus.FINISHED,
                "2020-12-24T10:05");
        // the 21st in the days after the last whole month
        records.encounter(
                "at-tail",
                TestRecords.SCT,
                TestRecords.GP_SURGERY,
                "AMB",
                Encounter.EncounterStatus.FINISHED,
                "2021-12-10T10:00");
        for (String patient : new String[] {"at-delete", "at-cancel", "at-born"}) {
            records.gpAttendances(patient, 1, "2021-11-01T09:00");
        }
        // 5 in January and February 2020, 6 in November 2020, 6 in December 2020, 9 in January to March 2021
        records.organization("at-span-practice", "at-icb");
        records.patient("at-span", "at-span-practice", "1960-05-01");
        records.gpAttendances("at-span", 5, "2020-01-06T09:00");
        records.gpAttendances("at-span", 4, "2020-11-02T09:00");
        records.gpAttendances("at-span", 2, "2020-11-05T09:00");
        records.gpAttendances("at-span", 4, "2020-12-01T09:00");
        records.gpAttendances("at-span", 2, "2020-12-03T09:00");
        records.gpAttendances("at-span", 9, "2021-01-05T09:00");
        records.store(client);
    }

    @Nested
    class AWindowThatIsNotWholeMonths {

        @Test
        void countsTheDaysBeforeItsFirstWholeMonthFromTheEncountersDuplicatesOnce() {
            Map<String, GroupMemberComponent> in = members("at-head", "2021-12-22", 21);
            Map<String, GroupMemberComponent> out = members("at-head", "2021-12-25", 21);

            assertThat(in).containsOnlyKeys("at-head");
            assertThat(attendances(in.get("at-head"))).isEqualTo(21);
            assertThat(out).isEmpty();
            assertThat(attendances(members("at-head", "2021-12-25", 20).get("at-head")))
                    .isEqualTo(20);
        }

        @Test
        void countsTheDaysAfterItsLastWholeMonthFromTheEncounters() {
            assertThat(members("at-tail", "2021-12-09", 21)).isEmpty();
            assertThat(attendances(members("at-tail", "2021-12-15", 21).get("at-tail")))
                    .isEqualTo(21);
        }

        @Test
        void agreesWithAWindowOfWholeMonthsOverTheSameAttendances() {
            assertThat(attendances(members("at-tail", "2021-12-31", 21).get("at-tail")))
                    .isEqualTo(attendances(members("at-tail", "2021-12-15", 21).get("at-tail")));
        }
    }

    /**
     * The yearly tallies hold running totals by month: a window of whole months counts only its own months of each
     * year it touches, and a year with too few attendances to be found by the index is still added in. A window of up
     * to 13 months is found by the most attendances in 13 months ending in its last year (migration V7), a longer one
     * by the attendances of each year.
     */
    @Nested
    class AWindowOfWholeMonthsAcrossYears {

        @Test
        void addsTheMonthsOfAYearWithTooFewToQualifyOnItsOwn() {
            Map<String, GroupMemberComponent> in = members("at-span", "2021-10-31", 12, 21);

            assertThat(in).containsOnlyKeys("at-span");
            assertThat(attendances(in.get("at-span"))).isEqualTo(21);
        }

        @Test
        void leavesOutTheMonthsOfATouchedYearBeforeTheWindow() {
            assertThat(members("at-span", "2021-11-30", 12, 16)).isEmpty();
            assertThat(attendances(members("at-span", "2021-11-30", 12, 15).get("at-span")))
                    .isEqualTo(15);
            assertThat(attendances(members("at-span", "2020-12-31", 12, 17).get("at-span")))
                    .isEqualTo(17);
        }

        @Test
        void countsEveryMonthOfAWindowOfTwoYears() {
            GroupMemberComponent member =
                    members("at-span", "2021-12-31", 24, 26).get("at-span");

            assertThat(attendances(member)).isEqualTo(26);
            assertThat(byMode(member)).containsExactly(Map.entry("face-to-face", 26));
            assertThat(members("at-span", "2021-12-31", 24, 27)).isEmpty();
        }

        @Test
        void findsAWindowThatEndsInAYearWithNoAttendances() {
            // February and March 2021: 5; nothing in 2022
            assertThat(attendances(members("at-span", "2022-01-31", 12, 5).get("at-span")))
                    .isEqualTo(5);
            assertThat(members("at-span", "2022-01-31", 12, 6)).isEmpty();
        }

        @Test
        void countsOnlyTheDaysOfAPartMonthInAWindowOfThirteenMonths() {
            // 2020-11-26 to 2021-11-25 touches November 2020 (6 attendances, all before the 26th): 6 + 9 counted
            assertThat(attendances(members("at-span", "2021-11-25", 12, 15).get("at-span")))
                    .isEqualTo(15);
            assertThat(members("at-span", "2021-11-25", 12, 16)).isEmpty();
            // from 2020-11-16, the 16th and the 23rd are in it
            assertThat(attendances(members("at-span", "2021-11-15", 12, 17).get("at-span")))
                    .isEqualTo(17);
        }
    }

    @Nested
    class TheTalliesFollowTheRecords {

        @Test
        void deletingAnAttendanceTakesThePatientOutOfTheCohort() {
            assertThat(members("at-delete", "2021-12-31", 21)).containsOnlyKeys("at-delete");

            client.delete()
                    .resourceById("Encounter", firstEncounterId("at-delete"))
                    .execute();

            assertThat(members("at-delete", "2021-12-31", 21)).isEmpty();
            assertThat(attendances(members("at-delete", "2021-12-31", 20).get("at-delete")))
                    .isEqualTo(20);
        }

        @Test
        void anAttendanceUpdatedToCancelledNoLongerCounts() {
            assertThat(members("at-cancel", "2021-12-31", 21)).containsOnlyKeys("at-cancel");
            Encounter encounter = client.read()
                    .resource(Encounter.class)
                    .withId(firstEncounterId("at-cancel"))
                    .execute();

            client.update()
                    .resource(encounter.setStatus(Encounter.EncounterStatus.CANCELLED))
                    .execute();

            assertThat(members("at-cancel", "2021-12-31", 21)).isEmpty();
        }

        @Test
        void aBirthDateCorrectedLaterTakesOutTheAttendancesBeforeIt() {
            assertThat(members("at-born", "2021-12-31", 21)).containsOnlyKeys("at-born");
            Patient patient =
                    client.read().resource(Patient.class).withId("at-born").execute();

            client.update()
                    .resource(patient.setBirthDateElement(new DateType("2021-01-05")))
                    .execute();

            assertThat(members("at-born", "2021-12-31", 21)).isEmpty();
            assertThat(attendances(members("at-born", "2021-12-31", 20).get("at-born")))
                    .isEqualTo(20);
        }

        @Test
        void aTransactionThatFailsLeavesTheCountsAsTheyWere() {
            Encounter twentyFirst = new Encounter()
                    .setStatus(Encounter.EncounterStatus.FINISHED)
                    .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                    .setSubject(new Reference("Patient/at-rollback"))
                    .setPeriod(new Period()
                            .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2021-11-01T09:00:00Z"))
                            .setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2021-11-01T09:10:00Z")));
            twentyFirst.addType().addCoding(new Coding(TestRecords.SCT, TestRecords.GP_SURGERY, null));
            Encounter broken = twentyFirst.copy().setSubject(new Reference("Patient/at-nobody"));
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            transaction
                    .addEntry()
                    .setResource(twentyFirst)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Encounter");
            transaction
                    .addEntry()
                    .setResource(broken)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Encounter");

            assertThatThrownBy(
                            () -> client.transaction().withBundle(transaction).execute())
                    .isInstanceOf(BaseServerResponseException.class)
                    .satisfies(e -> assertThat(((BaseServerResponseException) e).getStatusCode())
                            .isBetween(400, 499));

            assertThat(attendances(members("at-rollback", "2021-12-31", 20).get("at-rollback")))
                    .isEqualTo(20);
        }
    }

    /** The GP frequent attenders registered at the patient's own practice, over the 12 months to periodEnd. */
    private Map<String, GroupMemberComponent> members(String patient, String periodEnd, int minGpAttendances) {
        return members(patient, periodEnd, 12, minGpAttendances);
    }

    /** The GP frequent attenders registered at the patient's own practice, over the months to periodEnd. */
    private Map<String, GroupMemberComponent> members(
            String patient, String periodEnd, int periodMonths, int minGpAttendances) {
        Parameters result = client.operation()
                .onType(Group.class)
                .named("$frequent-attenders")
                .withParameter(Parameters.class, "cohort", new CodeType("gp-frequent-attender"))
                .andParameter("scope", new Reference("Organization/" + patient + "-practice"))
                .andParameter("periodEnd", new DateType(periodEnd))
                .andParameter("periodMonths", new IntegerType(periodMonths))
                .andParameter("minGpAttendances", new IntegerType(minGpAttendances))
                .andParameter("persist", new BooleanType(false))
                .execute();
        Map<String, GroupMemberComponent> members = new TreeMap<>();
        ((Group) result.getParameter("return").getResource())
                .getMember()
                .forEach(m -> members.put(m.getEntity().getReferenceElement().getIdPart(), m));
        return members;
    }

    private static int attendances(GroupMemberComponent member) {
        Extension figures = member.getExtensionByUrl(CohortGroups.FIGURES);
        return ((UnsignedIntType) figures.getExtensionByUrl("gpAttendances").getValue()).getValue();
    }

    /** The member's GP attendances by mode code. */
    private static Map<String, Integer> byMode(GroupMemberComponent member) {
        Map<String, Integer> byMode = new TreeMap<>();
        for (Extension part :
                member.getExtensionByUrl(CohortGroups.FIGURES).getExtensionsByUrl("gpAttendancesByMode")) {
            byMode.put(
                    ((Coding) part.getExtensionByUrl("mode").getValue()).getCode(),
                    ((UnsignedIntType) part.getExtensionByUrl("count").getValue()).getValue());
        }
        return byMode;
    }

    private String firstEncounterId(String patient) {
        Bundle found = client.search()
                .forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId("Patient/" + patient))
                .and(Encounter.DATE.exactly().day("2021-01-04"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);
        return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
    }
}
