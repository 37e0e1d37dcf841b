package example.proactivecare.careplan;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import example.proactivecare.cohort.CohortMembers;
import example.proactivecare.validation.CheckedResources;
import example.proactivecare.validation.ResourceValidator;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Generates personalised care and support plans for the members of a cohort, or for one patient: who gets a plan,
 * who leads it ({@link Allocator}), and the plan's resources ({@link PlanBuilder}), all stored in one database
 * transaction, or none.
 *
 * <p>Runs take turns (a transaction-scoped advisory lock), so two at once can neither both give a patient a plan nor
 * both take a role's last place.
 */
class CarePlanService {

    private static final Logger LOG = LoggerFactory.getLogger(CarePlanService.class);
    static final String LOCK = "proactivecare care plans";
    static final String CAPACITY = CANONICAL_BASE + "/StructureDefinition/caseload-capacity";

    /**
     * A patient the run is for.
     *
     * @param riskFlags codes of the risk-flag CodeSystem
     * @param decision the MDT's decision on them (confirm, reject), or null
     * @param cohorts the ids of the cohort Groups they were found in
     */
    record Member(
            String patient,
            Set<String> riskFlags,
            Integer distinctMedications,
            String decision,
            List<String> cohorts) {}

    /**
     * What happened to one patient given a plan or left waiting for capacity.
     *
     * @param lead the lead's PractitionerRole id; null while awaiting capacity
     * @param plan the plan's id (null on a dry run)
     * @param written whether this run created or activated the plan (false for a draft that still waits)
     */
    record Outcome(
            String patient, String status, Allocator.RiskType riskType, String lead, String plan, boolean written) {}

    /** A member given no plan, and why. */
    record Skipped(String patient, String reason) {}

    /** The result of a run. */
    record Result(List<Outcome> outcomes, List<String> alreadyActive, List<Skipped> skipped) {}

    private final DaoRegistry daos;
    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final CarePlanQueries queries;
    private final CarePlanTerminology terminology;
    private final CarePlansProperties properties;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final EntityManagerFactory entityManagerFactory;
    private final PlanBuilder builder;
    private final ResourceValidator validator;

    CarePlanService(
            DaoRegistry daos,
            IFhirSystemDao<Bundle, ?> systemDao,
            CarePlanQueries queries,
            CarePlanTerminology terminology,
            CarePlansProperties properties,
            TransactionTemplate transactions,
            JdbcTemplate jdbc,
            EntityManagerFactory entityManagerFactory,
            ResourceValidator validator) {
        this.daos = daos;
        this.systemDao = systemDao;
        this.queries = queries;
        this.terminology = terminology;
        this.properties = properties;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.entityManagerFactory = entityManagerFactory;
        this.builder = new PlanBuilder(terminology);
        this.validator = validator;
    }

    /** The active members of a stored cohort Group; 404 when there is no such Group, 400 when it is not a cohort. */
    List<Member> cohortMembers(IdType groupId, RequestDetails requestDetails) {
        Group group = daos.getResourceDao(Group.class).read(groupId.toUnqualifiedVersionless(), requestDetails);
        if (!CohortMembers.isCohort(group)) {
            throw new InvalidRequestException("Group/" + groupId.getIdPart()
                    + " is not a cohort derived by $frequent-attenders (it has no cohort identifier)");
        }
        String id = group.getIdElement().getIdPart();
        return CohortMembers.read(group).stream()
                .filter(CohortMembers.Member::active)
                .map(m -> new Member(
                        m.patient(), Set.copyOf(m.riskFlags()), m.distinctMedications(), m.decision(), List.of(id)))
                .toList();
    }

    /**
     * One patient as a member: of the cohort named (400 unless it is a cohort Group listing them as an active
     * member), or else of every stored cohort that lists them as active, their risk flags combined.
     */
    Member patientMember(IdType patientId, IdType cohort, RequestDetails requestDetails) {
        String patient = daos.getResourceDao(Patient.class)
                .read(patientId.toUnqualifiedVersionless(), requestDetails)
                .getIdElement()
                .getIdPart();
        List<Group> groups = new ArrayList<>();
        if (cohort != null) {
            Group group;
            try {
                group = daos.getResourceDao(Group.class).read(cohort.toUnqualifiedVersionless(), requestDetails);
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                throw new InvalidRequestException("Parameter cohort: " + cohort.getValue() + " is not known");
            }
            if (!CohortMembers.isCohort(group)) {
                throw new InvalidRequestException(
                        "Parameter cohort: " + cohort.getValue() + " is not a cohort derived by $frequent-attenders");
            }
            groups.add(group);
        } else {
            SearchParameterMap search =
                    SearchParameterMap.newSynchronous().add(Group.SP_MEMBER, new ReferenceParam("Patient/" + patient));
            daos.getResourceDao(Group.class)
                    .search(search, requestDetails)
                    .getAllResources()
                    .forEach(r -> groups.add((Group) r));
        }
        Set<String> flags = new TreeSet<>();
        Integer medications = null;
        String decision = null;
        List<String> cohorts = new ArrayList<>();
        for (Group group : groups) {
            if (!CohortMembers.isCohort(group)) {
                continue;
            }
            for (CohortMembers.Member member : CohortMembers.read(group)) {
                if (member.patient().equals(patient) && member.active()) {
                    flags.addAll(member.riskFlags());
                    if (member.distinctMedications() != null) {
                        medications = Math.max(medications == null ? 0 : medications, member.distinctMedications());
                    }
                    if (decision == null || "reject".equals(member.decision())) {
                        decision = member.decision();
                    }
                    cohorts.add(group.getIdElement().getIdPart());
                }
            }
        }
        if (cohort != null && cohorts.isEmpty()) {
            throw new InvalidRequestException("Parameter cohort: Patient/" + patient + " is not an active member of "
                    + cohort.toUnqualifiedVersionless().getValue());
        }
        return new Member(patient, flags, medications, decision, cohorts);
    }

    /**
     * Gives each member a plan unless they have one, in one transaction (none on a dry run).
     *
     * @param progress told how many patients' plans are stored so far
     */
    Result generate(
            List<Member> members,
            GenerationRequest request,
            RequestDetails requestDetails,
            Consumer<Integer> progress) {
        return transactions.execute(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext(?))", LOCK);
            long started = System.nanoTime();
            Map<String, Member> byPatient = new LinkedHashMap<>();
            members.forEach(m -> byPatient.putIfAbsent(m.patient(), m));

            List<Skipped> skipped = new ArrayList<>();
            List<String> alreadyActive = new ArrayList<>();
            Map<String, CarePlanQueries.PatientPlans> plans = queries.patients(
                    byPatient.keySet(), terminology.planCategory().getCode());
            List<CarePlanQueries.PatientPlans> candidates = new ArrayList<>();
            for (CarePlanQueries.PatientPlans patient : plans.values()) {
                Member member = byPatient.get(patient.patient());
                if (patient.currentPlan() != null) {
                    alreadyActive.add(patient.patient());
                } else if (patient.deceased()) {
                    skipped.add(new Skipped(patient.patient(), "died"));
                } else if ("reject".equals(member.decision())) {
                    skipped.add(new Skipped(patient.patient(), "rejected by the MDT"));
                } else if (request.onlyConfirmed() && !"confirm".equals(member.decision())) {
                    skipped.add(new Skipped(patient.patient(), "not confirmed by the MDT"));
                } else if (patient.practice() == null) {
                    skipped.add(new Skipped(patient.patient(), "no registered practice"));
                } else {
                    candidates.add(patient);
                }
            }

            List<Allocator.Role> roles = roles(candidates, requestDetails);
            Allocator allocator = new Allocator(roles, terminology.clinicalLeads(), terminology.psychosocialLeads());
            Map<String, Allocator.Role> rolesById = new HashMap<>();
            roles.forEach(r -> rolesById.put(r.id(), r));
            Map<String, List<String>> conditions = queries.conditions(
                    candidates.stream()
                            .map(CarePlanQueries.PatientPlans::patient)
                            .toList(),
                    request.start());

            List<PlanBuilder.Input> inputs = new ArrayList<>();
            List<Outcome> outcomes = new ArrayList<>();
            for (CarePlanQueries.PatientPlans patient : candidates) {
                Member member = byPatient.get(patient.patient());
                Allocator.Candidate candidate =
                        new Allocator.Candidate(patient.patient(), patient.practice(), patient.pcn(), riskType(member));
                Allocator.Allocation allocation = allocator.allocate(candidate);
                String lead = allocation.allocated() ? allocation.lead().id() : null;
                if (lead == null && patient.draftPlan() != null) {
                    // still waiting: its draft stays as it is
                    outcomes.add(new Outcome(
                            patient.patient(), "draft", candidate.riskType(), null, patient.draftPlan(), false));
                    continue;
                }
                outcomes.add(new Outcome(
                        patient.patient(), lead == null ? "draft" : "active", candidate.riskType(), lead, null, false));
                boolean medicationReview = member.distinctMedications() != null
                        && member.distinctMedications() >= properties.medicationReviewThreshold();
                boolean socialPrescribing = member.riskFlags().contains(CarePlanTerminology.PSYCHOSOCIAL_FLAG);
                inputs.add(new PlanBuilder.Input(
                        patient.patient(),
                        patient.practice(),
                        lead,
                        lead == null ? List.of() : codings(allocation.lead()),
                        medicationReview,
                        medicationReview
                                ? allocator
                                        .worker(candidate, CarePlanTerminology.key(terminology.clinicalPharmacist()))
                                        .map(Allocator.Role::id)
                                        .orElse(null)
                                : null,
                        socialPrescribing,
                        socialPrescribing
                                ? allocator
                                        .worker(candidate, CarePlanTerminology.key(terminology.linkWorker()))
                                        .map(Allocator.Role::id)
                                        .orElse(null)
                                : null,
                        conditions.getOrDefault(patient.patient(), List.of()),
                        member.cohorts(),
                        patient.draftPlan() == null ? null : read(CarePlan.class, patient.draftPlan(), requestDetails),
                        null));
            }
            long writing = System.nanoTime();
            if (request.dryRun()) {
                status.setRollbackOnly();
            } else {
                Map<String, String> stored = store(inputs, request, requestDetails, progress);
                outcomes.replaceAll(o -> stored.containsKey(o.patient())
                        ? new Outcome(o.patient(), o.status(), o.riskType(), o.lead(), stored.get(o.patient()), true)
                        : o);
            }
            LOG.info(
                    "care plans for {} members: {} candidates, {} roles, allocated in {} ms, {} plans written in {} ms",
                    byPatient.size(),
                    candidates.size(),
                    roles.size(),
                    (writing - started) / 1_000_000,
                    request.dryRun() ? 0 : inputs.size(),
                    (System.nanoTime() - writing) / 1_000_000);
            return new Result(outcomes, alreadyActive, skipped);
        });
    }

    /** Stores the plans, a chunk of patients per FHIR transaction nested in the run's; answers each plan's id. */
    private Map<String, String> store(
            List<PlanBuilder.Input> inputs,
            GenerationRequest request,
            RequestDetails requestDetails,
            Consumer<Integer> progress) {
        PlanBuilder.Schedule schedule = new PlanBuilder.Schedule(
                request.start(),
                request.checkInIntervalWeeks(),
                request.reviewAfterWeeks(),
                properties.conversationDueWeeks());
        Date now = new Date();
        Map<String, String> planIds = new HashMap<>();
        EntityManager entityManager = EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagerFactory);
        int chunk = properties.patientsPerChunk();
        Set<String> shapesValidated = new HashSet<>();
        for (int from = 0; from < inputs.size(); from += chunk) {
            List<PlanBuilder.Input> part = inputs.subList(from, Math.min(inputs.size(), from + chunk));
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            List<Integer> planEntries = new ArrayList<>();
            for (PlanBuilder.Input input : part) {
                List<BundleEntryComponent> entries =
                        builder.entries(withDraftTeam(input, requestDetails), schedule, now);
                checked(input, entries, shapesValidated);
                planEntries.add(transaction.getEntry().size());
                transaction.getEntry().addAll(entries);
            }
            Bundle response = systemDao.transactionNested(requestDetails, transaction);
            for (int i = 0; i < part.size(); i++) {
                String location = response.getEntry()
                        .get(planEntries.get(i))
                        .getResponse()
                        .getLocation();
                planIds.put(part.get(i).patient(), new IdType(location).getIdPart());
            }
            if (entityManager != null) {
                // the plans so far are written; what Hibernate keeps of them is no longer needed
                entityManager.flush();
                entityManager.clear();
            }
            progress.accept(from + part.size());
        }
        return planIds;
    }

    /**
     * Validates the resources of the first plan of each shape of a run, and marks every plan's resources as checked,
     * so the storage layer does not validate each again ({@link CarePlansProperties#validateEveryResource()}). A
     * generated resource that fails is the server's error, not the client's: it answers 500 and nothing is stored.
     */
    private void checked(PlanBuilder.Input input, List<BundleEntryComponent> entries, Set<String> shapesValidated) {
        if (validator == null || properties.validateEveryResource()) {
            return;
        }
        List<IBaseResource> resources =
                entries.stream().map(e -> (IBaseResource) e.getResource()).toList();
        String shape = String.join(
                ",",
                String.valueOf(input.lead() != null),
                String.valueOf(input.draft() != null),
                String.valueOf(input.medicationReview()),
                String.valueOf(input.pharmacist() != null),
                String.valueOf(input.socialPrescribing()),
                String.valueOf(input.linkWorker() != null),
                String.valueOf(!input.conditions().isEmpty()),
                String.valueOf(!input.cohorts().isEmpty()));
        if (shapesValidated.add(shape)) {
            try {
                resources.forEach(validator::check);
            } catch (UnprocessableEntityException invalid) {
                throw new InternalErrorException(
                        "A generated care plan resource is not valid: " + invalid.getMessage(), invalid);
            }
        }
        CheckedResources.add(resources);
    }

    /** A draft being activated or kept brings its CareTeam along, read now. */
    private PlanBuilder.Input withDraftTeam(PlanBuilder.Input input, RequestDetails requestDetails) {
        if (input.draft() == null || !input.draft().hasCareTeam()) {
            return input;
        }
        CareTeam team = read(
                CareTeam.class,
                input.draft().getCareTeamFirstRep().getReferenceElement().getIdPart(),
                requestDetails);
        return new PlanBuilder.Input(
                input.patient(),
                input.practice(),
                input.lead(),
                input.leadRole(),
                input.medicationReview(),
                input.pharmacist(),
                input.socialPrescribing(),
                input.linkWorker(),
                input.conditions(),
                input.cohorts(),
                input.draft(),
                team);
    }

    private <T extends IBaseResource> T read(Class<T> type, String id, RequestDetails requestDetails) {
        return daos.getResourceDao(type).read(new IdType(type.getSimpleName(), id), requestDetails);
    }

    private Allocator.RiskType riskType(Member member) {
        if (member.riskFlags().contains(CarePlanTerminology.CLINICAL_FLAG)) {
            return Allocator.RiskType.CLINICAL;
        }
        if (member.riskFlags().contains(CarePlanTerminology.PSYCHOSOCIAL_FLAG)) {
            return Allocator.RiskType.PSYCHOSOCIAL;
        }
        return Allocator.RiskType.NONE;
    }

    /**
     * The care roles of the candidates' practices and PCNs, with their capacity (the caseload-capacity extension; 0
     * when a role declares none) and the active plans each leads now. Inactive roles are left out.
     */
    private List<Allocator.Role> roles(List<CarePlanQueries.PatientPlans> candidates, RequestDetails requestDetails) {
        Set<String> organizations = new LinkedHashSet<>();
        for (CarePlanQueries.PatientPlans candidate : candidates) {
            organizations.add(candidate.practice());
            if (candidate.pcn() != null) {
                organizations.add(candidate.pcn());
            }
        }
        if (organizations.isEmpty()) {
            return List.of();
        }
        ReferenceOrListParam anyOf = new ReferenceOrListParam();
        organizations.forEach(o -> anyOf.addOr(new ReferenceParam("Organization/" + o)));
        SearchParameterMap search = SearchParameterMap.newSynchronous().add(PractitionerRole.SP_ORGANIZATION, anyOf);
        List<PractitionerRole> found =
                daos.getResourceDao(PractitionerRole.class).search(search, requestDetails).getAllResources().stream()
                        .map(PractitionerRole.class::cast)
                        .filter(r -> !r.hasActive() || r.getActive())
                        .toList();
        Map<String, Integer> inUse = queries.leadsInUse(
                found.stream().map(r -> r.getIdElement().getIdPart()).toList());
        List<Allocator.Role> roles = new ArrayList<>();
        for (PractitionerRole role : found) {
            String id = role.getIdElement().getIdPart();
            Set<String> codes = new LinkedHashSet<>();
            role.getCode().forEach(c -> c.getCoding().forEach(coding -> codes.add(CarePlanTerminology.key(coding))));
            var capacity = role.getExtensionByUrl(CAPACITY);
            int places =
                    capacity != null && capacity.getValue() instanceof UnsignedIntType value ? value.getValue() : 0;
            roles.add(new Allocator.Role(
                    id,
                    role.getOrganization().getReferenceElement().getIdPart(),
                    Set.copyOf(codes),
                    places,
                    inUse.getOrDefault(id, 0)));
        }
        return roles;
    }

    private static List<Coding> codings(Allocator.Role role) {
        return role.codes().stream()
                .sorted()
                .map(key -> {
                    int bar = key.indexOf('|');
                    return new Coding(key.substring(0, bar), key.substring(bar + 1), null);
                })
                .toList();
    }
}
