package example.proactivecare.careplan;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import example.proactivecare.cohort.CohortService;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * The life of a personalised care and support plan, driven by ordinary REST updates of its Tasks (NHS England winter
 * plan, steps 4 and 5). In the same transaction as the update that completes a Task of a plan:
 *
 * <ul>
 *   <li>a <b>check-in</b> makes the next check-in, one interval later (the interval is the completed check-in's window,
 *       {@code restriction.period}), as long as it falls before the plan's open review;
 *   <li>a <b>review</b> acts on its outcome (an output coded from review-outcome): <em>continue</em> makes the next
 *       check-in and the next review, as far apart as before; <em>step-down</em> and <em>discharge</em> complete the
 *       plan (which frees its lead's capacity), cancel its open Tasks, end its CareTeam, and mark the patient in the
 *       cohort Groups the plan came from (inactive, with the outcome: kept, so re-entry at a later refresh is
 *       possible and visible).
 * </ul>
 *
 * New Tasks are added to the plan's activities. Completing a Task twice (a second update of a completed Task) does
 * nothing more.
 */
@Interceptor
class CareTaskLifecycle {

    static final Set<Task.TaskStatus> OPEN = Set.of(
            Task.TaskStatus.DRAFT,
            Task.TaskStatus.REQUESTED,
            Task.TaskStatus.RECEIVED,
            Task.TaskStatus.ACCEPTED,
            Task.TaskStatus.READY,
            Task.TaskStatus.INPROGRESS,
            Task.TaskStatus.ONHOLD);
    private static final long DEFAULT_CHECK_IN_DAYS = 28;

    private final DaoRegistry daos;
    private final CarePlanTerminology terminology;
    private final CohortService cohorts;

    CareTaskLifecycle(DaoRegistry daos, CarePlanTerminology terminology, CohortService cohorts) {
        this.daos = daos;
        this.terminology = terminology;
        this.cohorts = cohorts;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource current, RequestDetails requestDetails) {
        if (!(current instanceof Task task)
                || task.getStatus() != Task.TaskStatus.COMPLETED
                || (previous instanceof Task before && before.getStatus() == Task.TaskStatus.COMPLETED)) {
            return;
        }
        boolean checkIn = hasCode(task, terminology.checkIn());
        boolean review = hasCode(task, terminology.review());
        if (!checkIn && !review) {
            return;
        }
        RequestDetails request = requestDetails == null ? new SystemRequestDetails() : requestDetails;
        Optional<CarePlan> plan = plan(task, request);
        if (plan.isEmpty() || plan.get().getStatus() != CarePlan.CarePlanStatus.ACTIVE) {
            return;
        }
        List<Task> tasks = tasks(plan.get(), request);
        if (checkIn) {
            nextCheckIn(plan.get(), task, tasks, request);
        } else {
            reviewed(plan.get(), task, tasks, request);
        }
    }

    private void nextCheckIn(CarePlan plan, Task done, List<Task> tasks, RequestDetails request) {
        Optional<LocalDate> reviewDue = tasks.stream()
                .filter(t -> OPEN.contains(t.getStatus()) && hasCode(t, terminology.review()))
                .map(CareTaskLifecycle::due)
                .filter(d -> d != null)
                .min(Comparator.naturalOrder());
        boolean anotherOpen = tasks.stream()
                .anyMatch(t -> !sameTask(t, done) && OPEN.contains(t.getStatus()) && hasCode(t, terminology.checkIn()));
        LocalDate due = due(done);
        if (reviewDue.isEmpty() || anotherOpen || due == null) {
            return;
        }
        LocalDate next = due.plusDays(length(done, DEFAULT_CHECK_IN_DAYS));
        if (next.isBefore(reviewDue.get())) {
            Task checkIn = task(plan, done, terminology.checkIn(), "Check-in", due, next);
            addActivities(plan, request, checkIn);
        }
    }

    private void reviewed(CarePlan plan, Task review, List<Task> tasks, RequestDetails request) {
        String outcome = review.getOutput().stream()
                .filter(o -> o.getValue() instanceof CodeableConcept)
                .flatMap(o -> ((CodeableConcept) o.getValue()).getCoding().stream())
                .filter(c -> CarePlanTerminology.REVIEW_OUTCOME_SYSTEM.equals(c.getSystem())
                        && terminology.reviewOutcomes().contains(c.getCode()))
                .map(Coding::getCode)
                .findFirst()
                .orElseThrow(() -> noOutcome(review));
        LocalDate due = due(review);
        if (CarePlanTerminology.CONTINUE.equals(outcome)) {
            if (due == null) {
                return;
            }
            LocalDate nextReview = due.plusDays(length(review, 7L * GenerationRequest.DEFAULT_REVIEW_AFTER_WEEKS));
            long interval = tasks.stream()
                    .filter(t -> hasCode(t, terminology.checkIn()) && due(t) != null)
                    .max(Comparator.comparing(CareTaskLifecycle::due))
                    .map(t -> length(t, DEFAULT_CHECK_IN_DAYS))
                    .orElse(DEFAULT_CHECK_IN_DAYS);
            boolean checkInOpen =
                    tasks.stream().anyMatch(t -> OPEN.contains(t.getStatus()) && hasCode(t, terminology.checkIn()));
            LocalDate nextCheckIn = due.plusDays(interval);
            Task nextReviewTask = task(
                    plan,
                    review,
                    terminology.review(),
                    "Review of the personalised care and support plan",
                    due,
                    nextReview);
            if (!checkInOpen && nextCheckIn.isBefore(nextReview)) {
                addActivities(
                        plan,
                        request,
                        task(plan, review, terminology.checkIn(), "Check-in", due, nextCheckIn),
                        nextReviewTask);
            } else {
                addActivities(plan, request, nextReviewTask);
            }
            return;
        }
        complete(plan, review, tasks, outcome, request);
    }

    /** Step down or discharge: the plan is completed, its open Tasks cancelled, its team ended, the member marked. */
    private void complete(CarePlan plan, Task review, List<Task> tasks, String outcome, RequestDetails request) {
        LocalDate date = review.getExecutionPeriod().hasEnd()
                ? LocalDate.parse(review.getExecutionPeriod()
                        .getEndElement()
                        .getValueAsString()
                        .substring(0, 10))
                : LocalDate.now(GenerationRequest.ZONE);
        plan.setStatus(CarePlan.CarePlanStatus.COMPLETED);
        plan.getPeriod().setEndElement(new DateTimeType(date.toString()));
        daos.getResourceDao(CarePlan.class).update(plan, request);

        IFhirResourceDao<Task> taskDao = daos.getResourceDao(Task.class);
        for (Task open : tasks) {
            if (!sameTask(open, review) && OPEN.contains(open.getStatus())) {
                open.setStatus(Task.TaskStatus.CANCELLED);
                open.setStatusReason(new CodeableConcept().setText("The plan was completed at its review: " + outcome));
                open.setLastModified(new Date());
                taskDao.update(open, request);
            }
        }
        for (Reference teamReference : plan.getCareTeam()) {
            try {
                CareTeam team = daos.getResourceDao(CareTeam.class)
                        .read(new IdType(teamReference.getReference()).toUnqualifiedVersionless(), request);
                team.setStatus(CareTeam.CareTeamStatus.INACTIVE);
                team.getPeriod().setEndElement(new DateTimeType(date.toString()));
                daos.getResourceDao(CareTeam.class).update(team, request);
            } catch (ResourceNotFoundException | ResourceGoneException gone) {
                // nothing to end
            }
        }
        String patient = plan.getSubject().getReferenceElement().getIdPart();
        Reference planReference =
                new Reference("CarePlan/" + plan.getIdElement().getIdPart());
        Reference reviewReference =
                new Reference("Task/" + review.getIdElement().getIdPart());
        for (Reference info : plan.getSupportingInfo()) {
            IdType group = new IdType(info.getReference());
            if ("Group".equals(group.getResourceType())) {
                cohorts.recordCareOutcome(group, patient, outcome, date, planReference, reviewReference, request);
            }
        }
    }

    /** A new Task of the plan, for the owner of the one it follows (else the plan's lead), with the window [from, due]. */
    private static Task task(
            CarePlan plan, Task after, Coding kind, String description, LocalDate from, LocalDate due) {
        Reference owner = null;
        if (after.hasOwner()) {
            owner = after.getOwner().copy();
        } else if ("PractitionerRole"
                .equals(plan.getAuthor().getReferenceElement().getResourceType())) {
            owner = plan.getAuthor().copy();
        }
        return PlanBuilder.task(
                kind,
                description,
                owner,
                new Period()
                        .setStartElement(new DateTimeType(from.toString()))
                        .setEndElement(new DateTimeType(due.toString())),
                plan.getSubject().copy(),
                new Reference("CarePlan/" + plan.getIdElement().getIdPart()),
                new Date());
    }

    /** Creates the Tasks and lists them among the plan's activities. */
    private void addActivities(CarePlan plan, RequestDetails request, Task... tasks) {
        for (Task task : tasks) {
            IdType id = (IdType)
                    daos.getResourceDao(Task.class).create(task, request).getId();
            plan.addActivity().setReference(new Reference("Task/" + id.getIdPart()));
        }
        daos.getResourceDao(CarePlan.class).update(plan, request);
    }

    private Optional<CarePlan> plan(Task task, RequestDetails request) {
        for (Reference basedOn : task.getBasedOn()) {
            IdType id = new IdType(basedOn.getReference());
            if ("CarePlan".equals(id.getResourceType()) && id.hasIdPart()) {
                try {
                    CarePlan plan = daos.getResourceDao(CarePlan.class).read(id.toUnqualifiedVersionless(), request);
                    boolean pcsp = plan.getCategory().stream()
                            .flatMap(c -> c.getCoding().stream())
                            .anyMatch(c -> CarePlanTerminology.is(c, terminology.planCategory()));
                    return pcsp ? Optional.of(plan) : Optional.empty();
                } catch (ResourceNotFoundException | ResourceGoneException gone) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Every Task based on the plan. */
    private List<Task> tasks(CarePlan plan, RequestDetails request) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(
                        Task.SP_BASED_ON,
                        new ReferenceParam("CarePlan/" + plan.getIdElement().getIdPart()));
        return daos.getResourceDao(Task.class).search(search, request).getAllResources().stream()
                .map(Task.class::cast)
                .toList();
    }

    private static boolean hasCode(Task task, Coding kind) {
        return task.getCode().getCoding().stream().anyMatch(c -> CarePlanTerminology.is(c, kind));
    }

    private static boolean sameTask(Task a, Task b) {
        return a.getIdElement().getIdPart().equals(b.getIdElement().getIdPart());
    }

    /** The day a Task is due: the end of its {@code restriction.period}. */
    private static LocalDate due(Task task) {
        Period window = task.getRestriction().getPeriod();
        return window.hasEnd()
                ? LocalDate.parse(window.getEndElement().getValueAsString().substring(0, 10))
                : null;
    }

    /** The days a Task's window spans, or the fallback when it does not say. */
    private static long length(Task task, long fallback) {
        Period window = task.getRestriction().getPeriod();
        if (!window.hasStart() || !window.hasEnd()) {
            return fallback;
        }
        long days = ChronoUnit.DAYS.between(
                LocalDate.parse(window.getStartElement().getValueAsString().substring(0, 10)),
                LocalDate.parse(window.getEndElement().getValueAsString().substring(0, 10)));
        return days > 0 ? days : fallback;
    }

    private static UnprocessableEntityException noOutcome(Task review) {
        String message = "Task/" + review.getIdElement().getIdPart()
                + " completes a care plan review without its outcome: add an output whose valueCodeableConcept is"
                + " coded from " + CarePlanTerminology.REVIEW_OUTCOME_SYSTEM + " (continue, step-down or discharge)";
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.REQUIRED)
                .setDiagnostics(message)
                .addExpression("Task.output");
        return new UnprocessableEntityException(message, outcome);
    }
}
