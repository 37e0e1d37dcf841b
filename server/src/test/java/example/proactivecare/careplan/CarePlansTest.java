package example.proactivecare.careplan;

import static example.proactivecare.careplan.CareRecords.CARE_COORDINATOR;
import static example.proactivecare.careplan.CareRecords.CLINICAL;
import static example.proactivecare.careplan.CareRecords.GP;
import static example.proactivecare.careplan.CareRecords.LINK_WORKER;
import static example.proactivecare.careplan.CareRecords.PHARMACIST;
import static example.proactivecare.careplan.CareRecords.PRACTICE_NURSE;
import static example.proactivecare.careplan.CareRecords.PSYCHOSOCIAL;
import static example.proactivecare.careplan.CareRecords.SOCIAL_ISOLATION;
import static example.proactivecare.careplan.CareRecords.TYPE_2_DIABETES;
import static example.proactivecare.careplan.CareRecords.cohort;
import static example.proactivecare.careplan.CareRecords.condition;
import static example.proactivecare.careplan.CareRecords.member;
import static example.proactivecare.careplan.CareRecords.role;
import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestRecords;
import example.proactivecare.validation.ResourceValidator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Care plan generation, allocation and the plans' life, over HTTP. Each scenario has its own PCN and practice, with
 * its own care roles and cohort Group, so one test's plans never take another's capacity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarePlansTest extends FhirServerTest {

    static final String START = "2026-01-05";
    static final String REVIEW_OUTCOME = CANONICAL_BASE + "/CodeSystem/review-outcome";

    @Autowired
    ResourceValidator validator;

    private final TestRecords records = new TestRecords();

    @BeforeAll
    void storeTheScenarios() {
        connectClient();
        // allocation by risk type: clinical roles at the practice, psychosocial roles and a pharmacist at the PCN
        practice("risk");
        records.add(role("prr-risk-gp", "cp-practice-risk", GP, 10));
        records.add(role("prr-risk-nurse", "cp-practice-risk", PRACTICE_NURSE, 10));
        records.add(role("prr-risk-cc", "cp-pcn-risk", CARE_COORDINATOR, 10));
        records.add(role("prr-risk-splw", "cp-pcn-risk", LINK_WORKER, 10));
        records.add(role("prr-risk-pharm", "cp-pcn-risk", PHARMACIST, 10));
        patients("cp-practice-risk", "risk-clinical", "risk-psycho", "risk-none", "risk-rejected", "risk-unreviewed");
        records.add(condition("risk-psycho-isolation", "risk-psycho", SOCIAL_ISOLATION));
        records.add(condition("risk-clinical-diabetes", "risk-clinical", TYPE_2_DIABETES));
        records.add(cohort(
                "cp-cohort-risk",
                "cp-pcn-risk",
                member("risk-clinical", 12, CLINICAL),
                member("risk-psycho", 2, PSYCHOSOCIAL),
                member("risk-none", 3)));

        // capacity: a GP with room for 3, and five patients with clinical risk; the PCN's coordinator cannot lead them
        practice("cap");
        records.add(role("prr-cap-gp", "cp-practice-cap", GP, 3));
        records.add(role("prr-cap-cc", "cp-pcn-cap", CARE_COORDINATOR, 5));
        patients("cp-practice-cap", "cap-1", "cap-2", "cap-3", "cap-4", "cap-5");
        records.add(cohort(
                "cp-cohort-cap",
                "cp-pcn-cap",
                member("cap-1", 10, CLINICAL),
                member("cap-2", 10, CLINICAL),
                member("cap-3", 10, CLINICAL),
                member("cap-4", 10, CLINICAL),
                member("cap-5", 10, CLINICAL)));

        // a rerun, and stepping down: a coordinator with room for one, two patients each
        for (String scenario : List.of("rerun", "step")) {
            practice(scenario);
            records.add(role("prr-" + scenario + "-cc", "cp-pcn-" + scenario, CARE_COORDINATOR, 1));
            patients("cp-practice-" + scenario, scenario + "-1", scenario + "-2");
            records.add(cohort(
                    "cp-cohort-" + scenario,
                    "cp-pcn-" + scenario,
                    member(scenario + "-1", 1, PSYCHOSOCIAL),
                    member(scenario + "-2", 1, PSYCHOSOCIAL)));
        }

        // the plans' life: a GP with plenty of room
        practice("life");
        records.add(role("prr-life-gp", "cp-practice-life", GP, 50));
        patients("cp-practice-life", "life-checkin", "life-continue", "life-discharge", "life-no-outcome", "life-gp");
        records.add(cohort(
                "cp-cohort-life",
                "cp-pcn-life",
                member("life-checkin", 4, CLINICAL),
                member("life-continue", 4, CLINICAL),
                member("life-discharge", 4, CLINICAL),
                member("life-no-outcome", 4, CLINICAL),
                member("life-gp", 4, CLINICAL)));

        // choosing members: MDT decisions, a death, a dry run, no cohort named
        practice("choose");
        records.add(role("prr-choose-gp", "cp-practice-choose", GP, 20));
        records.add(role("prr-choose-cc", "cp-pcn-choose", CARE_COORDINATOR, 20));
        patients("cp-practice-choose", "choose-confirmed", "choose-rejected", "choose-unreviewed", "choose-any");
        patients("cp-practice-choose", "choose-async", "dry-1", "dry-2");
        Patient died = new Patient().setBirthDateElement(new DateType("1930-01-01"));
        died.setDeceased(new DateTimeType("2025-12-01"));
        died.addGeneralPractitioner(new Reference("Organization/cp-practice-choose"));
        died.setId("choose-died");
        records.add(died);
        records.add(cohort(
                "cp-cohort-choose",
                "cp-pcn-choose",
                "prr-choose-gp",
                member("choose-confirmed", 12, CLINICAL).decided("confirm"),
                member("choose-rejected", 12, CLINICAL).decided("reject"),
                member("choose-unreviewed", 12, CLINICAL),
                member("choose-died", 12, CLINICAL).decided("confirm")));
        records.add(cohort(
                "cp-cohort-choose-other",
                "cp-pcn-choose",
                member("choose-any", 1, PSYCHOSOCIAL),
                member("choose-async", 1, PSYCHOSOCIAL)));
        records.add(cohort("cp-cohort-dry", "cp-pcn-choose", member("dry-1", 1, CLINICAL), member("dry-2", 1)));
        records.store(client);
    }

    private void practice(String scenario) {
        records.organization("cp-pcn-" + scenario, null);
        records.organization("cp-practice-" + scenario, "cp-pcn-" + scenario);
    }

    private void patients(String practice, String... ids) {
        for (String id : ids) {
            records.patient(id, practice, "1950-05-01");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AllocationByRiskType {

        private Parameters result;

        @BeforeAll
        void generatePlans() {
            result = generate("cp-cohort-risk");
        }

        @Test
        void clinicalRiskIsLedByAClinicalRoleOfThePractice() {
            assertThat(lead("risk-clinical")).isEqualTo("PractitionerRole/prr-risk-gp");
            assertThat(plan("risk-clinical").getAuthor().getReference()).isEqualTo("PractitionerRole/prr-risk-gp");
        }

        @Test
        void psychosocialRiskIsLedByAPsychosocialRoleOfThePcnWhenThePracticeHasNone() {
            assertThat(lead("risk-psycho")).isEqualTo("PractitionerRole/prr-risk-cc");
        }

        @Test
        void amongEligibleRolesTheOneWithTheMostFreeCapacityLeads() {
            // the coordinator took risk-psycho, so the link worker has more room left for the patient with no flag
            assertThat(lead("risk-none")).isEqualTo("PractitionerRole/prr-risk-splw");
        }

        @Test
        void manyMedicationsAddAStructuredMedicationReviewForTheClinicalPharmacist() {
            Task review = tasks(plan("risk-clinical")).stream()
                    .filter(t -> t.getCode().getCodingFirstRep().getCode().equals("1239511000000100"))
                    .findFirst()
                    .orElseThrow();
            assertThat(review.getOwner().getReference()).isEqualTo("PractitionerRole/prr-risk-pharm");
            assertThat(tasks(plan("risk-psycho")))
                    .noneMatch(t -> t.getCode().getCodingFirstRep().getCode().equals("1239511000000100"));
        }

        @Test
        void psychosocialRiskAddsASocialPrescribingReferral() {
            List<ServiceRequest> referrals = activities(plan("risk-psycho"), ServiceRequest.class);
            assertThat(referrals).hasSize(1);
            ServiceRequest referral = referrals.get(0);
            assertThat(referral.getCode().getCodingFirstRep().getCode()).isEqualTo("871731000000106");
            assertThat(referral.getPerformerFirstRep().getReference()).isEqualTo("PractitionerRole/prr-risk-splw");
            assertThat(referral.getBasedOnFirstRep().getReference())
                    .isEqualTo("CarePlan/" + plan("risk-psycho").getIdElement().getIdPart());
            assertThat(activities(plan("risk-clinical"), ServiceRequest.class)).isEmpty();
        }

        @Test
        void thePlanHasTheConversationFirstCheckInAndReviewDueFromTheStart() {
            Map<String, Task> byKind = new TreeMap<>();
            tasks(plan("risk-psycho"))
                    .forEach(t -> byKind.put(t.getCode().getCodingFirstRep().getCode(), t));

            assertThat(byKind).containsOnlyKeys("what-matters-conversation", "check-in", "review");
            assertThat(due(byKind.get("what-matters-conversation"))).isEqualTo("2026-01-19");
            assertThat(due(byKind.get("check-in"))).isEqualTo("2026-02-02");
            assertThat(due(byKind.get("review"))).isEqualTo("2026-03-30");
            assertThat(byKind.values()).allSatisfy(task -> {
                assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
                assertThat(task.getOwner().getReference()).isEqualTo("PractitionerRole/prr-risk-cc");
                assertThat(task.getFor().getReference()).isEqualTo("Patient/risk-psycho");
            });
        }

        @Test
        void thePlanAddressesTheConditionsPointsToTheCohortAndStartsWithAPlaceholderGoal() {
            CarePlan plan = plan("risk-psycho");

            assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
            assertThat(plan.getIntent()).isEqualTo(CarePlan.CarePlanIntent.PLAN);
            assertThat(plan.getAddresses())
                    .extracting(Reference::getReference)
                    .containsExactly("Condition/risk-psycho-isolation");
            assertThat(plan.getSupportingInfo())
                    .extracting(Reference::getReference)
                    .containsExactly("Group/cp-cohort-risk");
            assertThat(plan.getPeriod().getStartElement().getValueAsString()).isEqualTo(START);
            Goal goal = client.read()
                    .resource(Goal.class)
                    .withId(plan.getGoalFirstRep().getReferenceElement())
                    .execute();
            assertThat(goal.getLifecycleStatus()).isEqualTo(Goal.GoalLifecycleStatus.PROPOSED);
        }

        @Test
        void theCareTeamIsTheLeadAndTheRegisteredPractice() {
            CareTeam team = client.read()
                    .resource(CareTeam.class)
                    .withId(plan("risk-clinical").getCareTeamFirstRep().getReferenceElement())
                    .execute();

            assertThat(team.getParticipant())
                    .extracting(p -> p.getMember().getReference())
                    .containsExactly("PractitionerRole/prr-risk-gp", "Organization/cp-practice-risk");
            assertThat(team.getSubject().getReference()).isEqualTo("Patient/risk-clinical");
        }

        @Test
        void theGeneratedResourcesConformToTheirProfiles() {
            for (String patient : List.of("risk-clinical", "risk-psycho", "risk-none")) {
                CarePlan plan = plan(patient);
                assertThat(plan.getMeta().getProfile())
                        .extracting(p -> p.getValue())
                        .containsExactly(CANONICAL_BASE + "/StructureDefinition/pcsp-care-plan");
                validator.check(plan);
                for (Task task : tasks(plan)) {
                    assertThat(task.getMeta().getProfile())
                            .extracting(p -> p.getValue())
                            .containsExactly(CANONICAL_BASE + "/StructureDefinition/care-task");
                    validator.check(task);
                }
                activities(plan, ServiceRequest.class).forEach(validator::check);
                validator.check(client.read()
                        .resource(CareTeam.class)
                        .withId(plan.getCareTeamFirstRep().getReferenceElement())
                        .execute());
                validator.check(client.read()
                        .resource(Goal.class)
                        .withId(plan.getGoalFirstRep().getReferenceElement())
                        .execute());
            }
        }

        @Test
        void aGpSystemReadsTheActivePlanWithItsTasksTeamAndGoalsInOneSearch() {
            Bundle found = client.search()
                    .byUrl(
                            "CarePlan?subject=Patient/risk-psycho&status=active"
                                    + "&_include=CarePlan:activity-reference&_include=CarePlan:care-team&_include=CarePlan:goal")
                    .returnBundle(Bundle.class)
                    .execute();

            assertThat(found.getEntry())
                    .extracting(e -> e.getResource().fhirType())
                    .containsOnly("CarePlan", "Task", "ServiceRequest", "CareTeam", "Goal")
                    .filteredOn("CarePlan"::equals)
                    .hasSize(1);
            assertThat(found.getEntry())
                    .filteredOn(e -> e.getResource() instanceof Task)
                    .hasSize(3);
        }

        @Test
        void anOwnersWorklistIsTheirOpenTasks() {
            Bundle worklist = client.search()
                    .byUrl("Task?owner=PractitionerRole/prr-risk-cc&status=requested,in-progress")
                    .returnBundle(Bundle.class)
                    .execute();

            assertThat(worklist.getEntry())
                    .extracting(e -> ((Task) e.getResource()).getFor().getReference())
                    .containsOnly("Patient/risk-psycho");
            assertThat(worklist.getEntry()).hasSize(3);
        }

        private String lead(String patient) {
            return allocation(result, patient).getPart().stream()
                    .filter(p -> p.getName().equals("lead"))
                    .map(p -> ((Reference) p.getValue()).getReference())
                    .findFirst()
                    .orElse(null);
        }
    }

    @Nested
    class Capacity {

        @Test
        void withRoomForThreeOfFiveEligiblePatientsThreeGetAPlanAndTwoAwaitCapacity() {
            Parameters result = generate("cp-cohort-cap");

            assertThat(references(result, "awaitingCapacity")).containsExactly("Patient/cap-4", "Patient/cap-5");
            assertThat(references(result, "plan")).hasSize(5);
            assertThat(plan("cap-1").getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
            CarePlan waiting = plan("cap-4");
            assertThat(waiting.getStatus()).isEqualTo(CarePlan.CarePlanStatus.DRAFT);
            assertThat(waiting.getAuthor().getReference()).isEqualTo("Organization/cp-practice-cap");
            Extension reason =
                    waiting.getExtensionByUrl(CANONICAL_BASE + "/StructureDefinition/care-plan-status-reason");
            assertThat(((CodeableConcept) reason.getValue()).getCodingFirstRep().getCode())
                    .isEqualTo("awaiting-capacity");
            assertThat(tasks(waiting)).isEmpty();
            // a caseload: the active plans whose care team the role is in
            assertThat(search("CarePlan?care-team.participant=PractitionerRole/prr-cap-gp&status=active"))
                    .hasSize(3);
        }

        @Test
        void aRerunCreatesNothingForPatientsWhoAlreadyHaveAPlan() {
            generate("cp-cohort-rerun");
            int plans = count("CarePlan");
            int tasks = count("Task");

            Parameters again = generate("cp-cohort-rerun");

            assertThat(references(again, "alreadyActive")).containsExactly("Patient/rerun-1");
            assertThat(references(again, "awaitingCapacity")).containsExactly("Patient/rerun-2");
            assertThat(references(again, "plan")).isEmpty();
            assertThat(count("CarePlan")).isEqualTo(plans);
            assertThat(count("Task")).isEqualTo(tasks);
            assertThat(search("CarePlan?subject=Patient/rerun-2")).hasSize(1);
        }

        @Test
        void steppingAPatientDownFreesTheirLeadsPlaceForAPatientAwaitingCapacity() {
            generate("cp-cohort-step");
            CarePlan waiting = plan("step-2");
            assertThat(waiting.getStatus()).isEqualTo(CarePlan.CarePlanStatus.DRAFT);

            complete(task(plan("step-1"), "review"), outcome("step-down"));
            Parameters rerun = generate("cp-cohort-step");

            assertThat(references(rerun, "awaitingCapacity")).isEmpty();
            CarePlan activated = plan("step-2");
            assertThat(activated.getIdElement().getIdPart())
                    .isEqualTo(waiting.getIdElement().getIdPart());
            assertThat(activated.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
            assertThat(activated.getAuthor().getReference()).isEqualTo("PractitionerRole/prr-step-cc");
            assertThat(activated.hasExtension(CANONICAL_BASE + "/StructureDefinition/care-plan-status-reason"))
                    .isFalse();
            assertThat(tasks(activated)).hasSize(3);
            assertThat(search("CarePlan?subject=Patient/step-1")).hasSize(1);
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void completingACheckInMakesTheNextUntilTheReview() {
            generateFor("life-checkin");
            Task first = task(plan("life-checkin"), "check-in");
            assertThat(due(first)).isEqualTo("2026-02-02");

            complete(first, note("Managing well; wants help with the garden"));
            Task second = task(plan("life-checkin"), "check-in");
            assertThat(due(second)).isEqualTo("2026-03-02");
            assertThat(second.getOwner().getReference()).isEqualTo("PractitionerRole/prr-life-gp");
            assertThat(plan("life-checkin").getActivity())
                    .extracting(a -> a.getReference().getReference())
                    .contains("Task/" + second.getIdElement().getIdPart());

            complete(second, note("Fine"));
            // the next would be due on the day of the review (2026-03-30), so the review comes instead
            assertThat(openTasks(plan("life-checkin"), "check-in")).isEmpty();
            assertThat(openTasks(plan("life-checkin"), "review")).hasSize(1);
        }

        @Test
        void aCheckInCompletedWithoutANoteIsRejected() {
            generateFor("life-gp");
            Task checkIn = task(plan("life-gp"), "check-in");
            checkIn.setStatus(Task.TaskStatus.COMPLETED);

            assertThatThrownBy(() -> client.update().resource(checkIn).execute())
                    .isInstanceOf(UnprocessableEntityException.class)
                    .hasMessageContaining("care-task-1");
        }

        @Test
        void aReviewThatContinuesMakesTheNextCheckInAndReview() {
            generateFor("life-continue");
            complete(task(plan("life-continue"), "check-in"), note("ok"));
            complete(task(plan("life-continue"), "check-in"), note("ok"));

            complete(task(plan("life-continue"), "review"), outcome("continue"));

            CarePlan plan = plan("life-continue");
            assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
            assertThat(openTasks(plan, "review")).extracting(CarePlansTest::due).containsExactly("2026-06-22");
            assertThat(openTasks(plan, "check-in"))
                    .extracting(CarePlansTest::due)
                    .containsExactly("2026-04-27");
        }

        @Test
        void aDischargeCompletesThePlanCancelsItsTasksEndsTheTeamAndMarksTheCohortMember() {
            generateFor("life-discharge");
            Task review = task(plan("life-discharge"), "review");
            review.getExecutionPeriod().setEndElement(new DateTimeType("2026-03-27"));

            complete(review, outcome("discharge"));

            CarePlan plan = search("CarePlan?subject=Patient/life-discharge").stream()
                    .map(CarePlan.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
            assertThat(plan.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-03-27");
            assertThat(tasks(plan))
                    .filteredOn(t -> !t.getCode().getCodingFirstRep().getCode().equals("review"))
                    .extracting(Task::getStatus)
                    .containsOnly(Task.TaskStatus.CANCELLED);
            CareTeam team = client.read()
                    .resource(CareTeam.class)
                    .withId(plan.getCareTeamFirstRep().getReferenceElement())
                    .execute();
            assertThat(team.getStatus()).isEqualTo(CareTeam.CareTeamStatus.INACTIVE);

            Group cohort =
                    client.read().resource(Group.class).withId("cp-cohort-life").execute();
            Group.GroupMemberComponent member = cohort.getMember().stream()
                    .filter(m -> m.getEntity().getReference().equals("Patient/life-discharge"))
                    .findFirst()
                    .orElseThrow();
            assertThat(member.getInactive()).isTrue();
            assertThat(member.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-03-27");
            Extension careOutcome =
                    member.getExtensionByUrl(CANONICAL_BASE + "/StructureDefinition/cohort-member-care-outcome");
            assertThat(((Coding) careOutcome.getExtensionByUrl("outcome").getValue()).getCode())
                    .isEqualTo("discharge");
            assertThat(((Reference) careOutcome.getExtensionByUrl("carePlan").getValue()).getReference())
                    .isEqualTo("CarePlan/" + plan.getIdElement().getIdPart());
        }

        @Test
        void aReviewCompletedWithoutAnOutcomeIsRejectedAndChangesNothing() {
            generateFor("life-no-outcome");
            Task review = task(plan("life-no-outcome"), "review");

            assertThatThrownBy(() -> complete(review, note("went well")))
                    .isInstanceOf(UnprocessableEntityException.class)
                    .hasMessageContaining("care-task-2");
            assertThat(task(plan("life-no-outcome"), "review").getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
            assertThat(plan("life-no-outcome").getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
        }
    }

    @Nested
    class ChoosingMembers {

        @Test
        void onlyConfirmedLeavesOutTheUnreviewedAndNobodyRejectedOrDeadGetsAPlan() {
            Parameters confirmedOnly = client.operation()
                    .onInstance("Group/cp-cohort-choose")
                    .named("$generate-care-plans")
                    .withParameter(Parameters.class, "start", new DateType(START))
                    .andParameter("onlyConfirmed", new BooleanType(true))
                    .execute();

            assertThat(plans(confirmedOnly)).containsExactly("choose-confirmed");
            assertThat(skipped(confirmedOnly))
                    .containsEntry("choose-rejected", "rejected by the MDT")
                    .containsEntry("choose-unreviewed", "not confirmed by the MDT")
                    .containsEntry("choose-died", "died");

            Parameters everyone = generate("cp-cohort-choose");

            assertThat(plans(everyone)).containsExactly("choose-unreviewed");
            assertThat(references(everyone, "alreadyActive")).containsExactly("Patient/choose-confirmed");
            assertThat(skipped(everyone)).containsOnlyKeys("choose-rejected", "choose-died");
            assertThat(search("CarePlan?subject=Patient/choose-rejected")).isEmpty();
        }

        @Test
        void aDryRunAllocatesButStoresNothing() {
            int plans = count("CarePlan");

            Parameters dry = client.operation()
                    .onInstance("Group/cp-cohort-dry")
                    .named("$generate-care-plans")
                    .withParameter(Parameters.class, "dryRun", new BooleanType(true))
                    .execute();

            assertThat(count("CarePlan")).isEqualTo(plans);
            assertThat(references(dry, "plan")).isEmpty();
            assertThat(part(allocation(dry, "dry-1"), "lead")).isEqualTo("PractitionerRole/prr-choose-gp");
            assertThat(part(allocation(dry, "dry-2"), "lead")).isEqualTo("PractitionerRole/prr-choose-cc");
            assertThat(part(allocation(dry, "dry-2"), "riskType")).isEqualTo("none");
        }

        @Test
        void withoutACohortNamedThePatientsPlanComesFromTheCohortsListingThem() {
            Parameters result = client.operation()
                    .onInstance("Patient/choose-any")
                    .named("$generate-care-plan")
                    .withParameter(Parameters.class, "start", new DateType(START))
                    .execute();

            CarePlan plan = plan("choose-any");
            assertThat(references(result, "plan"))
                    .containsExactly("CarePlan/" + plan.getIdElement().getIdPart());
            assertThat(plan.getSupportingInfo())
                    .extracting(Reference::getReference)
                    .containsExactly("Group/cp-cohort-choose-other");
            assertThat(plan.getAuthor().getReference()).isEqualTo("PractitionerRole/prr-choose-cc");
        }

        @Test
        void respondAsyncAnswers202ThenThePlanAtTheStatusUrl() throws Exception {
            Parameters result = respondAsync(HttpRequest.newBuilder(
                            URI.create(baseUrl() + "/Patient/choose-async/$generate-care-plan?start=" + START))
                    .POST(HttpRequest.BodyPublishers.noBody()));

            assertThat(references(result, "plan")).hasSize(1);
            assertThat(plan("choose-async").getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
        }

        private List<String> plans(Parameters result) {
            return result.getParameter().stream()
                    .filter(p -> p.getName().equals("allocation"))
                    .filter(p -> part(p, "plan") != null)
                    .map(p -> part(p, "patient").substring("Patient/".length()))
                    .toList();
        }

        private Map<String, String> skipped(Parameters result) {
            Map<String, String> skipped = new TreeMap<>();
            result.getParameter().stream()
                    .filter(p -> p.getName().equals("skipped"))
                    .forEach(p -> skipped.put(part(p, "patient").substring("Patient/".length()), part(p, "reason")));
            return skipped;
        }
    }

    @Nested
    class BadRequests {

        @Test
        void aGroupThatIsNotACohortIs400() {
            Group plain = new Group().setType(Group.GroupType.PERSON).setActual(true);
            var id = client.create().resource(plain).execute().getId();

            assertThatThrownBy(() -> client.operation()
                            .onInstance(id.toUnqualifiedVersionless())
                            .named("$generate-care-plans")
                            .withNoParameters(Parameters.class)
                            .execute())
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("not a cohort");
        }

        @Test
        void anUnknownGroupIs404() {
            assertThatThrownBy(() -> generate("no-such-cohort")).isInstanceOf(ResourceNotFoundException.class);
        }

        @Test
        void aReviewBeforeTheFirstCheckInIs400() {
            assertThatThrownBy(() -> client.operation()
                            .onInstance("Group/cp-cohort-risk")
                            .named("$generate-care-plans")
                            .withParameter(Parameters.class, "checkInIntervalWeeks", new IntegerType(6))
                            .andParameter("reviewAfterWeeks", new IntegerType(4))
                            .execute())
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("reviewAfterWeeks");
        }

        @Test
        void aCohortThePatientIsNotInIs400() {
            assertThatThrownBy(() -> client.operation()
                            .onInstance("Patient/cap-1")
                            .named("$generate-care-plan")
                            .withParameter(Parameters.class, "cohort", new Reference("Group/cp-cohort-life"))
                            .execute())
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("not an active member");
        }
    }

    // --- helpers

    Parameters generate(String cohort) {
        return client.operation()
                .onInstance("Group/" + cohort)
                .named("$generate-care-plans")
                .withParameter(Parameters.class, "start", new DateType(START))
                .execute();
    }

    Parameters generateFor(String patient) {
        return client.operation()
                .onInstance("Patient/" + patient)
                .named("$generate-care-plan")
                .withParameter(Parameters.class, "start", new DateType(START))
                .andParameter("cohort", new Reference("Group/cp-cohort-life"))
                .execute();
    }

    static ParametersParameterComponent allocation(Parameters result, String patient) {
        return result.getParameter().stream()
                .filter(p -> p.getName().equals("allocation"))
                .filter(p -> p.getPart().stream()
                        .anyMatch(part -> part.getName().equals("patient")
                                && ((Reference) part.getValue()).getReference().equals("Patient/" + patient)))
                .findFirst()
                .orElseThrow();
    }

    /** A part's value: a reference, or a primitive as text; null when there is no such part. */
    static String part(ParametersParameterComponent parameter, String name) {
        return parameter.getPart().stream()
                .filter(p -> p.getName().equals(name))
                .map(p -> p.getValue() instanceof Reference r
                        ? r.getReference()
                        : p.getValue().primitiveValue())
                .findFirst()
                .orElse(null);
    }

    static List<String> references(Parameters result, String name) {
        return result.getParameter().stream()
                .filter(p -> p.getName().equals(name))
                .map(p -> ((Reference) p.getValue()).getReference())
                .toList();
    }

    List<Resource> search(String url) {
        Bundle bundle = client.search()
                .byUrl(url + (url.contains("?") ? "&" : "?") + "_count=200")
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream().map(e -> e.getResource()).toList();
    }

    /** The patient's personalised care and support plan that is active or draft. */
    CarePlan plan(String patient) {
        return search("CarePlan?subject=Patient/" + patient + "&status=active,draft").stream()
                .map(CarePlan.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no active or draft plan for " + patient));
    }

    List<Task> tasks(CarePlan plan) {
        return search("Task?based-on=CarePlan/" + plan.getIdElement().getIdPart()).stream()
                .map(Task.class::cast)
                .toList();
    }

    List<Task> openTasks(CarePlan plan, String kind) {
        return tasks(plan).stream()
                .filter(t -> t.getStatus() == Task.TaskStatus.REQUESTED)
                .filter(t -> t.getCode().getCodingFirstRep().getCode().equals(kind))
                .toList();
    }

    /** The plan's open Task of a kind (one of the task-kind codes). */
    Task task(CarePlan plan, String kind) {
        return openTasks(plan, kind).stream().findFirst().orElseThrow(() -> new AssertionError("no open " + kind));
    }

    <T extends IBaseResource> List<T> activities(CarePlan plan, Class<T> type) {
        return plan.getActivity().stream()
                .map(a -> a.getReference().getReferenceElement())
                .filter(id -> id.getResourceType().equals(type.getSimpleName()))
                .map(id -> client.read().resource(type).withId(id).execute())
                .toList();
    }

    static String due(Task task) {
        return task.getRestriction().getPeriod().getEndElement().getValueAsString();
    }

    void complete(Task task, Task.TaskOutputComponent output) {
        task.setStatus(Task.TaskStatus.COMPLETED);
        task.addOutput(output);
        client.update().resource(task).execute();
    }

    static Task.TaskOutputComponent note(String text) {
        return new Task.TaskOutputComponent()
                .setType(new CodeableConcept().setText("Check-in note"))
                .setValue(new StringType(text));
    }

    static Task.TaskOutputComponent outcome(String code) {
        return new Task.TaskOutputComponent()
                .setType(new CodeableConcept().setText("Review outcome"))
                .setValue(new CodeableConcept(new Coding(REVIEW_OUTCOME, code, null)));
    }
}
