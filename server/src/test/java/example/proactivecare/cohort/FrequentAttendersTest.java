package example.proactivecare.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestRecords;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Group.GroupMemberComponent;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cohort rules, pinned on hand-built patients: each test's patients are registered at their own practice of a test
 * ICB, so stored cohorts of one test do not meet another's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrequentAttendersTest extends FhirServerTest {

    private static final String SCT = TestRecords.SCT;
    private static final String DMD = "https://dmd.nhs.uk";
    private static final String GP_SURGERY = TestRecords.GP_SURGERY;
    private static final String DID_NOT_ATTEND = "281399006";
    private static final String ED_VISIT = "4525004";
    private static final String EMERGENCY_ADMISSION = "183452005";

    private final TestRecords records = new TestRecords();

    @BeforeAll
    void storeTheTestIcs() {
        connectClient();
        records.organization("fa-icb", null);
        records.organization("fa-pcn-north", "fa-icb");
        records.organization("fa-pcn-south", "fa-icb");
        records.organization("fa-practice-a", "fa-pcn-north");
        records.organization("fa-practice-b", "fa-pcn-north");
        records.organization("fa-practice-c", "fa-pcn-south");
        records.organization("fa-practice-leave", "fa-pcn-south");
        records.organization("fa-practice-review", "fa-pcn-south");
        records.organization("fa-practice-tps", "fa-pcn-south");

        // practice a: 21 vs 20 GP attendances; one whose 21st is the day before the window
        records.patient("fa-21", "fa-practice-a", "1950-05-01");
        records.gpAttendances("fa-21", 21, "2021-01-04T09:00");
        records.patient("fa-20", "fa-practice-a", "1980-05-01");
        records.gpAttendances("fa-20", 20, "2021-01-04T09:00");
        records.patient("fa-edge", "fa-practice-a", "1980-05-01");
        records.gpAttendances("fa-edge", 20, "2021-01-04T09:00");
        records.encounter("fa-edge", SCT, GP_SURGERY, "AMB", Encounter.EncounterStatus.FINISHED, "2020-12-31T23:30");

        // practice b: DNAs and cancellations, and a same-day duplicate
        records.patient("fa-dna", "fa-practice-b", "1980-05-01");
        records.gpAttendances("fa-dna", 20, "2021-01-04T09:00");
        records.encounter("fa-dna", SCT, DID_NOT_ATTEND, "AMB", Encounter.EncounterStatus.FINISHED, "2021-11-01T10:00");
        records.encounter("fa-dna", SCT, DID_NOT_ATTEND, "AMB", Encounter.EncounterStatus.FINISHED, "2021-11-02T10:00");
        records.encounter("fa-dna", SCT, GP_SURGERY, "AMB", Encounter.EncounterStatus.CANCELLED, "2021-11-03T10:00");
        records.patient("fa-duplicate", "fa-practice-b", "1980-05-01");
        records.gpAttendances("fa-duplicate", 20, "2021-01-04T09:00");
        records.encounter(
                "fa-duplicate", SCT, GP_SURGERY, "AMB", Encounter.EncounterStatus.FINISHED, "2021-01-04T09:05");

        // practice c (the other PCN)
        records.patient("fa-south", "fa-practice-c", "1940-05-01");
        records.gpAttendances("fa-south", 25, "2021-01-04T09:00");

        // leaves and re-enters: 21 in 2021, none in 2022, 21 in 2023
        records.patient("fa-returns", "fa-practice-leave", "1970-05-01");
        records.gpAttendances("fa-returns", 21, "2021-01-04T09:00");
        records.gpAttendances("fa-returns", 21, "2023-01-04T09:00");

        // MDT review: qualifies for 2021 and for the years to the ends of January and February 2022
        records.patient("fa-reviewed", "fa-practice-review", "1970-05-01");
        records.gpAttendances("fa-reviewed", 40, "2021-02-01T09:00");
        records.patient("fa-other", "fa-practice-review", "1970-05-01");
        records.add(new PractitionerRole()
                .setOrganization(new Reference("Organization/fa-practice-review"))
                .setId("fa-care-coordinator"));

        // targeted proactive support: 2 unplanned admissions and medications
        for (String id : List.of("tps-10", "tps-ended", "tps-one-code")) {
            records.patient(id, "fa-practice-tps", "1945-05-01");
            records.encounter(
                    id, SCT, EMERGENCY_ADMISSION, "IMP", Encounter.EncounterStatus.FINISHED, "2021-03-01T10:00");
            records.encounter(
                    id, SCT, EMERGENCY_ADMISSION, "IMP", Encounter.EncounterStatus.FINISHED, "2021-07-01T10:00");
            records.encounter(id, SCT, ED_VISIT, "EMER", Encounter.EncounterStatus.FINISHED, "2021-03-01T08:00");
        }
        for (int code = 1; code <= 9; code++) {
            records.medication("tps-10", "1000" + code, "2021-02-01", null);
            records.medication("tps-ended", "1000" + code, "2021-02-01", "2021-06-01");
        }
        records.medication("tps-10", "20000", "2019-06-01", null); // started before the window, still active in it
        records.medication("tps-ended", "20000", "2019-06-01", "2020-11-30"); // ended before the window
        for (int record = 0; record < 10; record++) {
            records.medication("tps-one-code", "30000", "2021-0" + (record % 9 + 1) + "-01", null);
        }

        records.store(client);
    }

    @Nested
    class GpFrequentAttenders {

        @Test
        void moreThanTwentyGpAttendancesQualifyAndTwentyDoNot() {
            Map<String, GroupMemberComponent> members = members(preview("gp-frequent-attender", "fa-practice-a"));

            assertThat(members).containsOnlyKeys("fa-21");
            assertThat(figure(members.get("fa-21"), "gpAttendances")).isEqualTo(21);
        }

        @Test
        void anAttendanceTheDayBeforeTheWindowDoesNotCount() {
            Parameters result = preview("gp-frequent-attender", "fa-practice-a");

            assertThat(members(result)).doesNotContainKey("fa-edge");
        }

        @Test
        void didNotAttendAndCancelledEncountersAreNotAttendances() {
            Parameters result = preview("gp-frequent-attender", "fa-practice-b", "minGpAttendances", 20);

            GroupMemberComponent member = members(result).get("fa-dna");
            assertThat(figure(member, "gpAttendances")).isEqualTo(20);
        }

        @Test
        void aDuplicateMinutesAfterAnotherAttendanceCountsOnce() {
            Parameters result = preview("gp-frequent-attender", "fa-practice-b");

            assertThat(members(result)).isEmpty();
            Parameters lower = preview("gp-frequent-attender", "fa-practice-b", "minGpAttendances", 20);
            assertThat(figure(members(lower).get("fa-duplicate"), "gpAttendances"))
                    .isEqualTo(20);
        }

        @Test
        void membersCarryTheirFiguresByModeAndTheirRiskFlags() {
            GroupMemberComponent member =
                    members(preview("gp-frequent-attender", "fa-practice-c")).get("fa-south");

            Extension figures = member.getExtensionByUrl(CohortGroups.FIGURES);
            Extension byMode = figures.getExtensionByUrl("gpAttendancesByMode");
            assertThat(((Coding) byMode.getExtensionByUrl("mode").getValue()).getCode())
                    .isEqualTo("face-to-face");
            assertThat(((UnsignedIntType) byMode.getExtensionByUrl("count").getValue()).getValue())
                    .isEqualTo(25);
            assertThat(figure(member, "age")).isEqualTo(81);
            assertThat(flags(member)).containsExactly("age-over-75");
        }
    }

    @Nested
    class Scope {

        @Test
        void aPracticeScopeHoldsItsOwnRegisteredPatientsOnly() {
            assertThat(members(preview("gp-frequent-attender", "fa-practice-c")))
                    .containsOnlyKeys("fa-south");
        }

        @Test
        void aPcnScopeHoldsThePatientsOfItsPractices() {
            assertThat(members(preview("gp-frequent-attender", "fa-pcn-north"))).containsOnlyKeys("fa-21");
        }

        @Test
        void anIcbScopeHoldsEveryPracticeUnderItThroughPartOf() {
            assertThat(members(preview("gp-frequent-attender", "fa-icb")))
                    .containsOnlyKeys("fa-21", "fa-south", "fa-returns", "fa-reviewed");
        }

        @Test
        void noScopeMeansEveryPractice() {
            Parameters result = client.operation()
                    .onType(Group.class)
                    .named("$frequent-attenders")
                    .withParameter(Parameters.class, "cohort", new CodeType("gp-frequent-attender"))
                    .andParameter("periodEnd", new DateType("2021-12-31"))
                    .useHttpGet()
                    .execute();

            assertThat(members(result)).containsKeys("fa-21", "fa-south");
            assertThat(group(result).getName()).isEqualTo("GP frequent attender, all practices");
        }
    }

    @Nested
    class TargetedProactiveSupport {

        @Test
        void twoUnplannedAdmissionsAndTenDistinctMedicationsActiveInTheWindowQualify() {
            Map<String, GroupMemberComponent> members =
                    members(preview("targeted-proactive-support", "fa-practice-tps"));

            assertThat(members).containsOnlyKeys("tps-10");
            GroupMemberComponent member = members.get("tps-10");
            assertThat(figure(member, "distinctMedications")).isEqualTo(10);
            assertThat(figure(member, "unplannedAdmissions")).isEqualTo(2);
            assertThat(figure(member, "edAttendances")).isEqualTo(1);
            assertThat(flags(member)).contains("clinical-pharmaceutical", "age-over-75");
        }

        @Test
        void aMedicationThatEndedBeforeTheWindowDoesNotCount() {
            Parameters result = preview("targeted-proactive-support", "fa-practice-tps", "minMedications", 9);

            assertThat(figure(members(result).get("tps-ended"), "distinctMedications"))
                    .isEqualTo(9);
        }

        @Test
        void tenRecordsOfOneMedicationAreOneMedication() {
            Parameters result = preview("targeted-proactive-support", "fa-practice-tps", "minMedications", 1);

            assertThat(figure(members(result).get("tps-one-code"), "distinctMedications"))
                    .isEqualTo(1);
        }
    }

    @Nested
    class RollingRefresh {

        @Test
        void aPatientWhoLeavesStaysListedInactiveAndReEntersLater() {
            Parameters first = store("gp-frequent-attender", "fa-practice-leave", "2021-12-31");
            GroupMemberComponent entered = members(first).get("fa-returns");
            assertThat(entered.getInactive()).isFalse();
            assertThat(entered.getPeriod().getStartElement().getValueAsString()).isEqualTo("2021-12-31");
            assertThat(count(first, "entered")).isEqualTo(1);

            Parameters second = store("gp-frequent-attender", "fa-practice-leave", "2022-12-31");
            GroupMemberComponent gone = members(second).get("fa-returns");
            assertThat(gone.getInactive()).isTrue();
            assertThat(gone.getPeriod().getEndElement().getValueAsString()).isEqualTo("2022-12-31");
            assertThat(count(second, "left")).isEqualTo(1);
            assertThat(group(second).getIdElement().getIdPart())
                    .isEqualTo(group(first).getIdElement().getIdPart());
            assertThat(group(second).getMeta().getVersionId()).isEqualTo("2");

            Parameters third = store("gp-frequent-attender", "fa-practice-leave", "2023-12-31");
            GroupMemberComponent back = members(third).get("fa-returns");
            assertThat(back.getInactive()).isFalse();
            assertThat(back.getPeriod().getStartElement().getValueAsString()).isEqualTo("2023-12-31");
            assertThat(back.getPeriod().hasEnd()).isFalse();
            assertThat(CohortGroups.entries(back)).isEqualTo(2);
            assertThat(count(third, "entered")).isEqualTo(1);

            Group stored = client.read()
                    .resource(Group.class)
                    .withId(group(third).getIdElement())
                    .execute();
            assertThat(stored.getMeta().getVersionId()).isEqualTo("3");
            assertThat(stored.getMember()).hasSize(1);
        }

        @Test
        void aStoredCohortDoesNotRollBackwards() {
            store("gp-frequent-attender", "fa-practice-c", "2021-12-31");

            assertThatThrownBy(() -> store("gp-frequent-attender", "fa-practice-c", "2021-06-30"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("only rolls forward");
        }

        @Test
        void respondAsyncAnswers202ThenTheCohortAtTheStatusUrl() throws Exception {
            Parameters result = respondAsync(HttpRequest.newBuilder(URI.create(baseUrl()
                            + "/Group/$frequent-attenders?cohort=ae-frequent-attender"
                            + "&periodEnd=2021-12-31&scope=Organization/fa-icb&persist=false"))
                    .GET());

            assertThat(group(result).getCode().getCodingFirstRep().getCode()).isEqualTo("ae-frequent-attender");
        }
    }

    @Nested
    class MdtReview {

        @Test
        void aRejectionIsKeptOnTheMemberWithAProvenanceAndSurvivesARefresh() {
            Group group = group(store("gp-frequent-attender", "fa-practice-review", "2022-01-31"));

            Group reviewed = review(group, "fa-reviewed", "reject");

            Extension review = members(reviewed).get("fa-reviewed").getExtensionByUrl(CohortGroups.REVIEW);
            assertThat(((Coding) review.getExtensionByUrl("decision").getValue()).getCode())
                    .isEqualTo("reject");
            Reference provenanceReference =
                    (Reference) review.getExtensionByUrl("provenance").getValue();
            Provenance provenance = client.read()
                    .resource(Provenance.class)
                    .withId(provenanceReference.getReferenceElement())
                    .execute();
            assertThat(provenance.getTarget())
                    .extracting(Reference::getReference)
                    .contains("Patient/fa-reviewed");
            assertThat(provenance.getAgentFirstRep().getWho().getReference())
                    .isEqualTo("PractitionerRole/fa-care-coordinator");

            Parameters refreshed = store("gp-frequent-attender", "fa-practice-review", "2022-02-28");

            assertThat(count(refreshed, "stayed")).isEqualTo(1);
            Extension kept = members(refreshed).get("fa-reviewed").getExtensionByUrl(CohortGroups.REVIEW);
            assertThat(((Coding) kept.getExtensionByUrl("decision").getValue()).getCode())
                    .isEqualTo("reject");
        }

        @Test
        void aPatientWhoIsNotAMemberCannotBeReviewed() {
            Group group = group(store("gp-frequent-attender", "fa-pcn-south", "2021-12-31"));

            assertThatThrownBy(() -> review(group, "fa-other", "confirm"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("not a member");
        }

        @Test
        void anUnknownDecisionIsRefused() {
            Group group = group(store("gp-frequent-attender", "fa-pcn-south", "2021-12-31"));

            assertThatThrownBy(() -> review(group, "fa-reviewed", "maybe"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("unknown decision 'maybe'");
        }

        @Test
        void anUnknownGroupIsNotFound() {
            Group missing = new Group();
            missing.setId("Group/no-such-cohort");

            assertThatThrownBy(() -> review(missing, "fa-reviewed", "confirm"))
                    .isInstanceOf(ResourceNotFoundException.class);
        }

        private Group review(Group group, String patient, String decision) {
            return client.operation()
                    .onInstance(group.getIdElement().toUnqualifiedVersionless())
                    .named("$review-member")
                    .withParameter(Parameters.class, "patient", new Reference("Patient/" + patient))
                    .andParameter("decision", new CodeType(decision))
                    .andParameter("reason", new CodeableConcept().setText("Known to the community mental health team"))
                    .andParameter("decidedBy", new Reference("PractitionerRole/fa-care-coordinator"))
                    .returnResourceType(Group.class)
                    .execute();
        }
    }

    @Nested
    class BadParameters {

        @Test
        void anUnknownCohortIs400() {
            assertBadRequest(Map.of("cohort", "everyone"), "unknown cohort 'everyone'");
        }

        @Test
        void aScopeThatIsNotAnOrganizationIs400() {
            assertBadRequest(
                    Map.of("cohort", "gp-frequent-attender", "scope", "Patient/fa-21"),
                    "not a reference to an Organization");
        }

        @Test
        void anOrganizationThatDoesNotExistIs400() {
            assertBadRequest(Map.of("cohort", "gp-frequent-attender", "scope", "Organization/nowhere"), "is not known");
        }

        @Test
        void aWindowOfNoMonthsIs400() {
            assertBadRequest(Map.of("cohort", "gp-frequent-attender", "periodMonths", "0"), "periodMonths");
        }

        @Test
        void anEndDateBefore1990Is400() {
            assertBadRequest(Map.of("cohort", "gp-frequent-attender", "periodEnd", "1989-12-31"), "before 1990");
        }

        @Test
        void aGetThatAsksToStoreIs400() {
            assertBadRequest(Map.of("cohort", "gp-frequent-attender", "persist", "true"), "POST");
        }

        @Test
        void aMissingCohortIs400() {
            assertBadRequest(Map.of("periodMonths", "12"), "cohort is required");
        }

        private void assertBadRequest(Map<String, String> parameters, String message) {
            String query = parameters.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("&"));
            try {
                HttpResponse<String> response = http().send(
                                HttpRequest.newBuilder(URI.create(baseUrl() + "/Group/$frequent-attenders?" + query))
                                        .header("Accept", "application/fhir+json")
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(400);
                OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
                assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(message);
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private Parameters preview(String cohort, String scope, Object... thresholds) {
        var operation = client.operation()
                .onType(Group.class)
                .named("$frequent-attenders")
                .withParameter(Parameters.class, "cohort", new CodeType(cohort))
                .andParameter("scope", new Reference("Organization/" + scope))
                .andParameter("periodEnd", new DateType("2021-12-31"));
        for (int i = 0; i < thresholds.length; i += 2) {
            operation = operation.andParameter((String) thresholds[i], new IntegerType((Integer) thresholds[i + 1]));
        }
        return operation.andParameter("persist", new BooleanType(false)).execute();
    }

    private Parameters store(String cohort, String scope, String periodEnd) {
        return client.operation()
                .onType(Group.class)
                .named("$frequent-attenders")
                .withParameter(Parameters.class, "cohort", new CodeType(cohort))
                .andParameter("scope", new Reference("Organization/" + scope))
                .andParameter("periodEnd", new DateType(periodEnd))
                .andParameter("persist", new BooleanType(true))
                .execute();
    }

    private static Group group(Parameters result) {
        return (Group) result.getParameter("return").getResource();
    }

    private static int count(Parameters result, String name) {
        return ((IntegerType) result.getParameter(name).getValue()).getValue();
    }

    private static Map<String, GroupMemberComponent> members(Parameters result) {
        return members(group(result));
    }

    private static Map<String, GroupMemberComponent> members(Group group) {
        Map<String, GroupMemberComponent> members = new TreeMap<>();
        group.getMember()
                .forEach(m -> members.put(m.getEntity().getReferenceElement().getIdPart(), m));
        return members;
    }

    private static int figure(GroupMemberComponent member, String name) {
        Extension figures = member.getExtensionByUrl(CohortGroups.FIGURES);
        return ((UnsignedIntType) figures.getExtensionByUrl(name).getValue()).getValue();
    }

    private static List<String> flags(GroupMemberComponent member) {
        return member.getExtensionsByUrl(CohortGroups.RISK_FLAG).stream()
                .map(e -> ((Coding) e.getValue()).getCode())
                .toList();
    }
}
