package example.proactivecare.cohort;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Group.GroupMemberComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Derives cohorts and keeps them as rolling Groups, and records MDT decisions on their members.
 *
 * <p>A refresh of a stored cohort runs in one database transaction that holds a lock on the cohort's identifier, so
 * two refreshes of the same cohort cannot both create it, nor lose each other's MDT decisions.
 */
public class CohortService {

    /** The result of a derivation: the Group (stored or not) and how membership moved against the stored one. */
    public record Derivation(Group group, int entered, int left, int stayed) {}

    static final String MDT_DECISION_SYSTEM = CANONICAL_BASE + "/CodeSystem/mdt-decision";

    private final CohortQueries queries;
    private final CohortTerminology terminology;
    private final DaoRegistry daos;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;

    CohortService(
            CohortQueries queries,
            CohortTerminology terminology,
            DaoRegistry daos,
            TransactionTemplate transactions,
            JdbcTemplate jdbc) {
        this.queries = queries;
        this.terminology = terminology;
        this.daos = daos;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /** Checks what a derivation needs before any work starts: 400 for an unknown kind or scope. */
    public void check(CohortRequest request, RequestDetails requestDetails) {
        if (!terminology.cohortKinds().containsKey(request.kind())) {
            throw new InvalidRequestException("Parameter cohort: unknown cohort '" + request.kind() + "'; known: "
                    + String.join(", ", terminology.cohortKinds().keySet()));
        }
        if (request.scope() != null) {
            scopeOrganization(request.scope(), requestDetails);
        }
    }

    public Derivation derive(CohortRequest request, boolean persist, RequestDetails requestDetails) {
        check(request, requestDetails);
        String name = terminology.cohortKinds().get(request.kind()) + ", "
                + (request.scope() == null
                        ? "all practices"
                        : scopeOrganization(request.scope(), requestDetails).getName());
        List<String> practices = request.scope() == null ? null : organizationsUnder(request.scope());
        List<MemberFigures> members = queries.members(request, practices);
        if (!persist) {
            CohortGroups.Refresh refresh =
                    CohortGroups.refresh(stored(request, requestDetails).orElse(null), request, name, members);
            Group preview = refresh.group();
            preview.setId((String) null);
            preview.getMeta().setVersionId(null).setLastUpdated(null);
            return new Derivation(preview, refresh.entered(), refresh.left(), refresh.stayed());
        }
        return transactions.execute(status -> {
            lock(CohortGroups.identifierValue(request.kind(), request.scope()));
            Optional<Group> stored = stored(request, requestDetails);
            stored.ifPresent(group -> checkNotEarlier(group, request));
            CohortGroups.Refresh refresh = CohortGroups.refresh(stored.orElse(null), request, name, members);
            IFhirResourceDao<Group> groups = daos.getResourceDao(Group.class);
            Group group = refresh.group();
            IdType id = (IdType)
                    (stored.isPresent()
                            ? groups.update(group, requestDetails).getId()
                            : groups.create(group, requestDetails).getId());
            group.setId(id);
            group.getMeta().setVersionId(id.getVersionIdPart());
            return new Derivation(group, refresh.entered(), refresh.left(), refresh.stayed());
        });
    }

    /**
     * Records an MDT decision on a member of a stored cohort, with a Provenance. The decision stays on the member
     * across refreshes until another decision replaces it.
     */
    public Group review(
            IdType groupId,
            Reference patient,
            String decision,
            CodeableConcept reason,
            Reference decidedBy,
            RequestDetails requestDetails) {
        if (!terminology.mdtDecisions().contains(decision)) {
            throw new InvalidRequestException("Parameter decision: unknown decision '" + decision + "'; known: "
                    + String.join(", ", terminology.mdtDecisions()));
        }
        if (reason != null) {
            for (Coding coding : reason.getCoding()) {
                if (CohortTerminology.MDT_DECISION_REASON_SYSTEM.equals(coding.getSystem())
                        && !terminology.mdtDecisionReasons().contains(coding.getCode())) {
                    throw new InvalidRequestException("Parameter reason: unknown code '" + coding.getCode() + "' of "
                            + coding.getSystem() + "; known: "
                            + String.join(", ", terminology.mdtDecisionReasons()));
                }
            }
        }
        String patientId = typedId(patient, "Patient", "patient");
        String roleId = typedId(decidedBy, "PractitionerRole", "decidedBy");
        try {
            daos.getResourceDao(PractitionerRole.class).read(new IdType("PractitionerRole", roleId), requestDetails);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            throw new InvalidRequestException("Parameter decidedBy: PractitionerRole/" + roleId + " is not known");
        }
        return transactions.execute(status -> {
            IFhirResourceDao<Group> groups = daos.getResourceDao(Group.class);
            Group group = groups.read(groupId.toUnqualifiedVersionless(), requestDetails);
            String identifier = group.getIdentifier().stream()
                    .filter(i -> CohortGroups.IDENTIFIER_SYSTEM.equals(i.getSystem()))
                    .map(i -> i.getValue())
                    .findFirst()
                    .orElseThrow(() -> new InvalidRequestException(
                            "Group/" + groupId.getIdPart() + " is not a cohort derived by $frequent-attenders"));
            lock(identifier);
            group = groups.read(groupId.toUnqualifiedVersionless(), requestDetails);
            GroupMemberComponent member = group.getMember().stream()
                    .filter(m ->
                            patientId.equals(m.getEntity().getReferenceElement().getIdPart()))
                    .findFirst()
                    .orElseThrow(() -> new InvalidRequestException("Parameter patient: Patient/" + patientId
                            + " is not a member of Group/" + groupId.getIdPart()));
            Date now = new Date();
            Provenance provenance = new Provenance();
            provenance.addTarget(new Reference("Group/" + groupId.getIdPart()));
            provenance.addTarget(new Reference("Patient/" + patientId));
            provenance.setRecorded(now);
            provenance.setActivity(new CodeableConcept(new Coding(MDT_DECISION_SYSTEM, decision, null)));
            provenance.addAgent().setWho(new Reference("PractitionerRole/" + roleId));
            if (reason != null) {
                provenance.addReason(reason);
            }
            IdType provenanceId = (IdType) daos.getResourceDao(Provenance.class)
                    .create(provenance, requestDetails)
                    .getId();

            member.getExtension().removeIf(e -> CohortGroups.REVIEW.equals(e.getUrl()));
            Extension review = member.addExtension().setUrl(CohortGroups.REVIEW);
            review.addExtension("decision", new Coding(MDT_DECISION_SYSTEM, decision, null));
            if (reason != null) {
                review.addExtension("reason", reason);
            }
            review.addExtension("decidedBy", new Reference("PractitionerRole/" + roleId));
            review.addExtension("date", new DateTimeType(now));
            review.addExtension("provenance", new Reference("Provenance/" + provenanceId.getIdPart()));
            IdType id = (IdType) groups.update(group, requestDetails).getId();
            group.setId(id);
            group.getMeta().setVersionId(id.getVersionIdPart());
            return group;
        });
    }

    /**
     * Marks a member whose care plan was completed at its review ({@link CohortMembers#endWithCareOutcome}), under the
     * cohort's lock so that a refresh at the same time cannot lose it. Does nothing when the Group is not a stored
     * cohort or the patient is not an active member of it.
     *
     * @param outcome a code of the review-outcome CodeSystem (step-down or discharge)
     */
    public void recordCareOutcome(
            IdType groupId,
            String patient,
            String outcome,
            LocalDate date,
            Reference carePlan,
            Reference review,
            RequestDetails requestDetails) {
        transactions.executeWithoutResult(status -> {
            IFhirResourceDao<Group> groups = daos.getResourceDao(Group.class);
            Group group;
            try {
                group = groups.read(groupId.toUnqualifiedVersionless(), requestDetails);
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                return;
            }
            Optional<String> identifier = CohortMembers.identifier(group);
            if (identifier.isEmpty()) {
                return;
            }
            lock(identifier.get());
            group = groups.read(groupId.toUnqualifiedVersionless(), requestDetails);
            if (CohortMembers.endWithCareOutcome(group, patient, outcome, date, carePlan, review)) {
                groups.update(group, requestDetails);
            }
        });
    }

    /**
     * The patients who are members of any cohort kind, with the default rules, over a window; for reports that say
     * how many cohort members a finding affects.
     */
    public java.util.Set<String> anyCohortMembers(String scope, LocalDate periodEnd, int periodMonths) {
        List<String> practices = scope == null ? null : organizationsUnder(scope);
        java.util.Set<String> members = new java.util.TreeSet<>();
        for (String kind : terminology.cohortKinds().keySet()) {
            CohortRequest request =
                    new CohortRequest(kind, scope, periodEnd, periodMonths, CohortRequest.Thresholds.DEFAULTS);
            queries.members(request, practices).forEach(m -> members.add(m.patient()));
        }
        return members;
    }

    /** The organisation and every organisation under it through partOf, as the projection knows them. */
    public List<String> organizationsUnder(String scope) {
        List<String> organizations = queries.scopeOrganizations(scope);
        return organizations.isEmpty() ? List.of(scope) : organizations;
    }

    /** The Organization a scope names; 400 when there is none. */
    public Organization scopeOrganization(String scope, RequestDetails requestDetails) {
        try {
            return daos.getResourceDao(Organization.class).read(new IdType("Organization", scope), requestDetails);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            throw new InvalidRequestException("Parameter scope: Organization/" + scope + " is not known");
        }
    }

    private Optional<Group> stored(CohortRequest request, RequestDetails requestDetails) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(
                        Group.SP_IDENTIFIER,
                        new TokenParam(
                                CohortGroups.IDENTIFIER_SYSTEM,
                                CohortGroups.identifierValue(request.kind(), request.scope())));
        IBundleProvider found = daos.getResourceDao(Group.class).search(search, requestDetails);
        return found.getResources(0, 1).stream().map(Group.class::cast).findFirst();
    }

    /** A stored cohort rolls forward: refreshing it for an earlier window would end memberships before they began. */
    private static void checkNotEarlier(Group stored, CohortRequest request) {
        Extension period = stored.getExtensionByUrl(CohortGroups.PERIOD);
        if (period == null) {
            return;
        }
        String storedEnd = ((Period) period.getValue()).getEndElement().getValueAsString();
        if (storedEnd != null && request.periodEnd().isBefore(LocalDate.parse(storedEnd.substring(0, 10)))) {
            throw new InvalidRequestException("Parameter periodEnd: the stored cohort Group/"
                    + stored.getIdElement().getIdPart() + " was last refreshed for a window ending " + storedEnd
                    + "; a stored cohort only rolls forward (use persist=false to look at an earlier window)");
        }
    }

    private void lock(String key) {
        jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext(?))", key);
    }

    private static String typedId(Reference reference, String type, String parameter) {
        IdType id = new IdType(reference.getReference());
        if (reference.getReference() == null || !type.equals(id.getResourceType()) || !id.hasIdPart()) {
            throw new InvalidRequestException(
                    "Parameter " + parameter + ": expected a reference to a " + type + ", such as " + type + "/123");
        }
        return id.getIdPart();
    }
}
