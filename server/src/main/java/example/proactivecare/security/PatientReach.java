package example.proactivecare.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import example.proactivecare.security.SmartScope.Context;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Whether a resource is within a token's reach: whose data it is (the owners of its Patient compartment), and
 * whether those patients are the launch patient or registered at the user's organisations.
 *
 * <p>Answers about patients are kept for the request, and a page of search results is looked up in one query before
 * HAPI's authorization checks it resource by resource.
 */
@Interceptor(order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR - 10)
final class PatientReach {

    private static final String MEMO = PatientReach.class.getName() + ".memo";

    private final UserReach users;
    private final SmartRequests requests;

    PatientReach(UserReach users, SmartRequests requests) {
        this.users = users;
        this.requests = requests;
    }

    /** Whether resources of a type are about patients: Patient itself and the types in the Patient compartment. */
    static boolean aboutPatients(FhirContext fhir, String type) {
        if ("Patient".equals(type)) {
            return true;
        }
        try {
            return !fhir.getResourceDefinition(type)
                    .getSearchParamsForCompartmentName("Patient")
                    .isEmpty();
        } catch (RuntimeException unknownType) {
            return false;
        }
    }

    /** The ids of the patients a resource is about; a Patient is about itself. */
    static Set<String> owners(FhirContext fhir, IBaseResource resource) {
        Set<String> owners = new LinkedHashSet<>();
        if (resource instanceof Patient patient) {
            if (patient.getIdElement().hasIdPart()) {
                owners.add(patient.getIdElement().getIdPart());
            }
            return owners;
        }
        for (IIdType owner : fhir.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of())) {
            // a compartment path may hold other types too (Provenance.target): only Patients own the resource
            if (owner.hasIdPart() && (!owner.hasResourceType() || "Patient".equals(owner.getResourceType()))) {
                owners.add(owner.getIdPart());
            }
        }
        return owners;
    }

    /** The user's organisations (none for a token without a user). */
    Set<String> organisations(SmartToken token) {
        return token.fhirUser() == null ? Set.of() : users.organisations(token.fhirUser());
    }

    /** Whether {@code resource} is within reach of the token's scopes of {@code context} (user or patient). */
    boolean inReach(SmartToken token, Context context, IBaseResource resource, RequestDetails request) {
        FhirContext fhir = request.getFhirContext();
        String type = fhir.getResourceType(resource);
        if (SmartAuthorizationInterceptor.SYSTEM_ONLY_TYPES.contains(type)) {
            return false;
        }
        if (resource instanceof Group group) {
            return context == Context.USER && groupInReach(token, group, request);
        }
        if (!aboutPatients(fhir, type)) {
            return true;
        }
        if (context == Context.PATIENT) {
            return owners(fhir, resource).stream().allMatch(id -> id.equals(token.patient()));
        }
        if (resource instanceof Patient patient) {
            // the resource as it is (or as it will be stored): registered at one of the user's organisations
            return registeredAtOneOf(patient, organisations(token));
        }
        Set<String> owners = owners(fhir, resource);
        return patientsInReach(token, owners, request).containsAll(owners);
    }

    private boolean groupInReach(SmartToken token, Group group, RequestDetails request) {
        Set<String> organisations = organisations(token);
        IdType manager = new IdType(group.getManagingEntity().getReference());
        if (group.hasManagingEntity()) {
            return "Organization".equals(manager.getResourceType()) && organisations.contains(manager.getIdPart());
        }
        Set<String> members = new LinkedHashSet<>();
        for (Group.GroupMemberComponent member : group.getMember()) {
            IdType entity = new IdType(member.getEntity().getReference());
            if (!"Patient".equals(entity.getResourceType())) {
                return false;
            }
            members.add(entity.getIdPart());
        }
        return !members.isEmpty() && patientsInReach(token, members, request).containsAll(members);
    }

    private static boolean registeredAtOneOf(Patient patient, Set<String> organisations) {
        for (Reference practice : patient.getGeneralPractitioner()) {
            IdType id = new IdType(practice.getReference());
            if ("Organization".equals(id.getResourceType()) && organisations.contains(id.getIdPart())) {
                return true;
            }
        }
        return false;
    }

    /** Of the patients {@code ids}, those registered at the user's organisations; remembered for the request. */
    Set<String> patientsInReach(SmartToken token, Collection<String> ids, RequestDetails request) {
        @SuppressWarnings("unchecked")
        Map<String, Boolean> memo =
                (Map<String, Boolean>) request.getUserData().computeIfAbsent(MEMO, k -> new HashMap<>());
        Set<String> unknown = new HashSet<>();
        for (String id : ids) {
            if (!memo.containsKey(id)) {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            Set<String> found = users.registeredAt(unknown, organisations(token));
            unknown.forEach(id -> memo.put(id, found.contains(id)));
        }
        Set<String> inReach = new HashSet<>();
        for (String id : ids) {
            if (Boolean.TRUE.equals(memo.get(id))) {
                inReach.add(id);
            }
        }
        return inReach;
    }

    /** Looks up a page's patients at once, before HAPI's authorization asks about them one resource at a time. */
    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void lookUpPage(IPreResourceShowDetails details, RequestDetails request) {
        if (request == null || details.size() < 2) {
            return;
        }
        SmartToken token = requests.token(request).orElse(null);
        if (token == null
                || token.scopesOf(Context.USER).isEmpty()
                || !token.scopesOf(Context.SYSTEM).isEmpty()) {
            return;
        }
        FhirContext fhir = request.getFhirContext();
        Set<String> owners = new HashSet<>();
        List<IBaseResource> resources = details.getAllResources();
        for (IBaseResource resource : resources) {
            if (resource != null && !(resource instanceof Patient)) {
                owners.addAll(owners(fhir, resource));
            }
        }
        if (!owners.isEmpty()) {
            patientsInReach(token, owners, request);
        }
    }
}
