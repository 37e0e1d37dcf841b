package example.proactivecare.careplan;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Builds the resources of one personalised care and support plan, as entries of a FHIR transaction (new resources are
 * POSTed under {@code urn:uuid:} full URLs, so the plan and its Tasks can refer to each other):
 *
 * <ul>
 *   <li>the CarePlan (profile pcsp-care-plan): active and authored by the lead, or draft, authored by the practice and
 *       awaiting capacity; it addresses the patient's conditions, points to the cohort Groups, and lists its Goal,
 *       CareTeam and activities;
 *   <li>the CareTeam: the lead and the registered practice;
 *   <li>the Goal: a placeholder, to be agreed in the What Matters to Me conversation;
 *   <li>with a lead, the Tasks (profile care-task): the conversation, the first check-in and the review, and a
 *       structured medication review for a patient on many medications; and for psychosocial risk a social
 *       prescribing referral (ServiceRequest).
 * </ul>
 *
 * A draft plan awaiting capacity that gets a lead is activated in place (PUT), with its CareTeam; its Goal stays.
 */
final class PlanBuilder {

    static final String PLAN_PROFILE = CANONICAL_BASE + "/StructureDefinition/pcsp-care-plan";
    static final String TASK_PROFILE = CANONICAL_BASE + "/StructureDefinition/care-task";
    static final String STATUS_REASON = CANONICAL_BASE + "/StructureDefinition/care-plan-status-reason";
    static final String TITLE = "Personalised care and support plan";

    /**
     * When things are due.
     *
     * @param conversationWeeks weeks from the start within which the What Matters to Me conversation is due
     */
    record Schedule(LocalDate start, int checkInIntervalWeeks, int reviewAfterWeeks, int conversationWeeks) {

        DateType startDate() {
            return new DateType(start.toString());
        }

        Period window(int weeks) {
            return new Period()
                    .setStartElement(new DateTimeType(start.toString()))
                    .setEndElement(new DateTimeType(start.plusWeeks(weeks).toString()));
        }
    }

    /**
     * One patient's plan to build.
     *
     * @param lead the lead's PractitionerRole id, or null when awaiting capacity
     * @param leadRole the lead's role codes, for the CareTeam
     * @param pharmacist the clinical pharmacist's PractitionerRole for a medication review (null: unowned, or none)
     * @param linkWorker the social prescribing link worker for the referral (null: none named)
     * @param draft the patient's draft plan awaiting capacity, to activate or keep (null: a new plan)
     * @param draftTeam the draft plan's CareTeam (null with a new plan)
     */
    record Input(
            String patient,
            String practice,
            String lead,
            List<Coding> leadRole,
            boolean medicationReview,
            String pharmacist,
            boolean socialPrescribing,
            String linkWorker,
            List<String> conditions,
            List<String> cohorts,
            CarePlan draft,
            CareTeam draftTeam) {}

    private final CarePlanTerminology terminology;

    PlanBuilder(CarePlanTerminology terminology) {
        this.terminology = terminology;
    }

    /** The entries for one plan; the first is always the CarePlan. */
    List<BundleEntryComponent> entries(Input input, Schedule schedule, Date now) {
        List<BundleEntryComponent> entries = new ArrayList<>();
        Reference patient = new Reference("Patient/" + input.patient());
        Reference practice = new Reference("Organization/" + input.practice());
        boolean active = input.lead() != null;
        Reference lead = active ? new Reference("PractitionerRole/" + input.lead()) : null;

        CarePlan plan = input.draft() == null ? new CarePlan() : input.draft().copy();
        BundleEntryComponent planEntry = input.draft() == null
                ? post(plan)
                : put(plan, "CarePlan/" + input.draft().getIdElement().getIdPart());
        entries.add(planEntry);
        Reference planReference = new Reference(
                input.draft() == null
                        ? planEntry.getFullUrl()
                        : "CarePlan/" + input.draft().getIdElement().getIdPart());

        CareTeam team;
        String teamUrl;
        if (input.draftTeam() == null) {
            team = new CareTeam();
            BundleEntryComponent teamEntry = post(team);
            teamUrl = teamEntry.getFullUrl();
            entries.add(teamEntry);
        } else {
            team = input.draftTeam().copy();
            teamUrl = "CareTeam/" + input.draftTeam().getIdElement().getIdPart();
            entries.add(put(team, teamUrl));
        }
        careTeam(team, patient, practice, lead, input.leadRole(), schedule);

        String goalUrl = null;
        if (input.draft() == null) {
            Goal goal = new Goal()
                    .setLifecycleStatus(Goal.GoalLifecycleStatus.PROPOSED)
                    .setDescription(new CodeableConcept()
                            .setText(
                                    "What matters to the patient: to be agreed in the What Matters to Me conversation"))
                    .setSubject(patient)
                    .setStart(schedule.startDate());
            BundleEntryComponent goalEntry = post(goal);
            goalUrl = goalEntry.getFullUrl();
            entries.add(goalEntry);
        }

        plan.getMeta().getProfile().removeIf(p -> PLAN_PROFILE.equals(p.getValue()));
        plan.getMeta().addProfile(PLAN_PROFILE);
        plan.setStatus(active ? CarePlan.CarePlanStatus.ACTIVE : CarePlan.CarePlanStatus.DRAFT);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setTitle(TITLE);
        if (!plan.hasCategory()) {
            plan.addCategory(new CodeableConcept(terminology.planCategory().copy()));
        }
        plan.setSubject(patient);
        plan.setPeriod(
                new Period().setStartElement(new DateTimeType(schedule.start().toString())));
        plan.setCreated(now);
        plan.setAuthor(active ? lead : practice);
        plan.setCareTeam(List.of(new Reference(teamUrl)));
        plan.setAddresses(input.conditions().stream()
                .map(c -> new Reference("Condition/" + c))
                .toList());
        plan.setSupportingInfo(
                input.cohorts().stream().map(g -> new Reference("Group/" + g)).toList());
        if (goalUrl != null) {
            plan.setGoal(new ArrayList<>(List.of(new Reference(goalUrl))));
        }
        plan.getExtension().removeIf(e -> STATUS_REASON.equals(e.getUrl()));
        if (!active) {
            plan.addExtension(
                    STATUS_REASON,
                    new CodeableConcept(terminology.awaitingCapacity().copy()));
            return entries;
        }

        plan.getActivity().clear();
        List<BundleEntryComponent> activities = new ArrayList<>();
        activities.add(post(task(
                terminology.whatMattersConversation(),
                "What Matters to Me conversation",
                lead,
                schedule.window(schedule.conversationWeeks()),
                patient,
                planReference,
                now)));
        activities.add(post(task(
                terminology.checkIn(),
                "Check-in",
                lead,
                schedule.window(schedule.checkInIntervalWeeks()),
                patient,
                planReference,
                now)));
        activities.add(post(task(
                terminology.review(),
                "Review of the personalised care and support plan",
                lead,
                schedule.window(schedule.reviewAfterWeeks()),
                patient,
                planReference,
                now)));
        if (input.medicationReview()) {
            activities.add(post(task(
                    terminology.medicationReview(),
                    "Structured medication review",
                    input.pharmacist() == null ? null : new Reference("PractitionerRole/" + input.pharmacist()),
                    schedule.window(schedule.checkInIntervalWeeks()),
                    patient,
                    planReference,
                    now)));
        }
        if (input.socialPrescribing()) {
            ServiceRequest referral = new ServiceRequest()
                    .setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                    .setIntent(ServiceRequest.ServiceRequestIntent.PLAN)
                    .setCode(new CodeableConcept(
                            terminology.socialPrescribingReferral().copy()))
                    .setSubject(patient)
                    .setAuthoredOn(now)
                    .setRequester(lead);
            referral.addBasedOn(planReference);
            input.conditions().forEach(c -> referral.addReasonReference(new Reference("Condition/" + c)));
            if (input.linkWorker() != null) {
                referral.addPerformer(new Reference("PractitionerRole/" + input.linkWorker()));
            }
            activities.add(post(referral));
        }
        for (BundleEntryComponent activity : activities) {
            plan.addActivity().setReference(new Reference(activity.getFullUrl()));
        }
        entries.addAll(activities);
        return entries;
    }

    /**
     * A requested Task of a plan, for {@code owner} (none when null), to be done in {@code window}; also the next
     * check-in or review that {@link CareTaskLifecycle} makes as a plan goes on.
     */
    static Task task(
            Coding kind,
            String description,
            Reference owner,
            Period window,
            Reference patient,
            Reference plan,
            Date now) {
        Task task = new Task()
                .setStatus(Task.TaskStatus.REQUESTED)
                .setIntent(Task.TaskIntent.PLAN)
                .setPriority(Task.TaskPriority.ROUTINE)
                .setCode(new CodeableConcept(kind.copy()))
                .setDescription(description)
                .setFor(patient)
                .setAuthoredOn(now)
                .setLastModified(now)
                .setOwner(owner);
        task.getMeta().addProfile(TASK_PROFILE);
        task.addBasedOn(plan);
        task.getRestriction().setPeriod(window);
        return task;
    }

    private static void careTeam(
            CareTeam team,
            Reference patient,
            Reference practice,
            Reference lead,
            List<Coding> leadRole,
            Schedule schedule) {
        team.setStatus(lead == null ? CareTeam.CareTeamStatus.PROPOSED : CareTeam.CareTeamStatus.ACTIVE);
        team.setName("Proactive care team");
        team.setSubject(patient);
        team.setPeriod(
                new Period().setStartElement(new DateTimeType(schedule.start().toString())));
        team.getParticipant().clear();
        if (lead != null) {
            CodeableConcept role = new CodeableConcept().setText("Lead professional");
            leadRole.forEach(c -> role.addCoding(c.copy()));
            team.addParticipant().setMember(lead).addRole(role);
        }
        team.addParticipant().setMember(practice).addRole(new CodeableConcept().setText("Registered GP practice"));
        team.setManagingOrganization(List.of(practice));
    }

    static BundleEntryComponent post(Resource resource) {
        BundleEntryComponent entry = new BundleEntryComponent()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(resource);
        entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
        return entry;
    }

    private static BundleEntryComponent put(Resource resource, String url) {
        resource.setId(url);
        BundleEntryComponent entry = new BundleEntryComponent().setResource(resource);
        entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
        return entry;
    }
}
