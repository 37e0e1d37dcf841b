package example.proactivecare.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;

/**
 * Whose data a user may see: the patients registered ({@code Patient.generalPractitioner}) at the organisations their
 * {@code fhirUser}'s PractitionerRoles name, or at any practice under them through {@code partOf} (a role at a PCN or
 * an ICB covers its practices).
 *
 * <p>A user's organisations are looked up once a minute at most; which patients are registered where is looked up for
 * each request, so a patient who moves practice moves out of reach at once.
 */
public class UserReach {

    static final Duration ORGANISATIONS_KEPT = Duration.ofMinutes(1);

    private final DaoRegistry daos;
    private final Clock clock;
    private final Map<String, Cached> organisations = new ConcurrentHashMap<>();

    private record Cached(Set<String> organisations, Instant until) {}

    public UserReach(DaoRegistry daos, Clock clock) {
        this.daos = daos;
        this.clock = clock;
    }

    /**
     * The ids of the organisations whose registered patients {@code fhirUser} may see: those of their active
     * PractitionerRoles, and every organisation under them. Empty for a user who is not a Practitioner or has no role.
     */
    public Set<String> organisations(String fhirUser) {
        Instant now = clock.instant();
        Cached cached = organisations.get(fhirUser);
        if (cached == null || cached.until().isBefore(now)) {
            cached = new Cached(Set.copyOf(lookUpOrganisations(fhirUser)), now.plus(ORGANISATIONS_KEPT));
            organisations.put(fhirUser, cached);
        }
        return cached.organisations();
    }

    private Set<String> lookUpOrganisations(String fhirUser) {
        IdType user = new IdType(fhirUser);
        Set<String> roots = new LinkedHashSet<>();
        if ("Practitioner".equals(user.getResourceType())) {
            SearchParameterMap roles = SearchParameterMap.newSynchronous()
                    .add(PractitionerRole.SP_PRACTITIONER, new ReferenceParam(user.toUnqualifiedVersionless()));
            for (IBaseResource found :
                    all(daos.getResourceDao(PractitionerRole.class).search(roles, system()))) {
                PractitionerRole role = (PractitionerRole) found;
                if (current(role)
                        && role.getOrganization().getReferenceElement().hasIdPart()) {
                    roots.add(role.getOrganization().getReferenceElement().getIdPart());
                }
            }
        } else if ("PractitionerRole".equals(user.getResourceType())) {
            try {
                PractitionerRole role =
                        daos.getResourceDao(PractitionerRole.class).read(user, system());
                if (current(role)
                        && role.getOrganization().getReferenceElement().hasIdPart()) {
                    roots.add(role.getOrganization().getReferenceElement().getIdPart());
                }
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                return Set.of();
            }
        }
        return withDescendants(roots);
    }

    private static boolean current(PractitionerRole role) {
        if (role.hasActive() && !role.getActive()) {
            return false;
        }
        Date end = role.getPeriod().getEnd();
        return end == null || end.after(new Date());
    }

    private Set<String> withDescendants(Set<String> roots) {
        Set<String> all = new LinkedHashSet<>(roots);
        Set<String> level = roots;
        while (!level.isEmpty()) {
            ReferenceOrListParam parents = new ReferenceOrListParam();
            level.forEach(id -> parents.addOr(new ReferenceParam("Organization/" + id)));
            SearchParameterMap children = SearchParameterMap.newSynchronous().add(Organization.SP_PARTOF, parents);
            Set<String> next = new LinkedHashSet<>();
            for (IBaseResource child :
                    all(daos.getResourceDao(Organization.class).search(children, system()))) {
                String id = child.getIdElement().getIdPart();
                if (all.add(id)) {
                    next.add(id);
                }
            }
            level = next;
        }
        return all;
    }

    /** Of {@code patientIds}, those registered at one of {@code organisations}. */
    public Set<String> registeredAt(Collection<String> patientIds, Set<String> organisations) {
        Set<String> inReach = new HashSet<>();
        if (patientIds.isEmpty() || organisations.isEmpty()) {
            return inReach;
        }
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(patientIds));
        for (int from = 0; from < ids.size(); from += 500) {
            TokenOrListParam idList = new TokenOrListParam();
            ids.subList(from, Math.min(ids.size(), from + 500)).forEach(id -> idList.addOr(new TokenParam(id)));
            SearchParameterMap search = SearchParameterMap.newSynchronous().add("_id", idList);
            for (IBaseResource found : all(daos.getResourceDao(Patient.class).search(search, system()))) {
                for (Reference practice : ((Patient) found).getGeneralPractitioner()) {
                    IdType practiceId = new IdType(practice.getReference());
                    if ("Organization".equals(practiceId.getResourceType())
                            && organisations.contains(practiceId.getIdPart())) {
                        inReach.add(found.getIdElement().getIdPart());
                    }
                }
            }
        }
        return inReach;
    }

    /** Patients registered at one of {@code organisations}, at most {@code max}, for the launch patient picker. */
    public List<Patient> patientsAt(Set<String> organisations, int max) {
        if (organisations.isEmpty()) {
            return List.of();
        }
        ReferenceOrListParam practices = new ReferenceOrListParam();
        organisations.forEach(id -> practices.addOr(new ReferenceParam("Organization/" + id)));
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(Patient.SP_GENERAL_PRACTITIONER, practices)
                .setCount(max);
        IBundleProvider found = daos.getResourceDao(Patient.class).search(search, system());
        return found.getResources(0, max).stream().map(Patient.class::cast).toList();
    }

    private static List<IBaseResource> all(IBundleProvider provider) {
        Integer size = provider.size();
        return provider.getResources(0, size == null ? Integer.MAX_VALUE : size);
    }

    private static SystemRequestDetails system() {
        return new SystemRequestDetails();
    }
}
