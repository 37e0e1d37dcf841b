package example.proactivecare.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import example.proactivecare.security.SmartScope.Context;
import example.proactivecare.security.SmartScope.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Narrows searches to what the token reaches, before they run, so a search answers what the token may see rather than
 * being refused for what it may not.
 *
 * <ul>
 *   <li>when only {@code patient/} scopes allow searching the type: HAPI's narrowing to the launch patient's
 *       compartment ({@code Encounter?...} becomes {@code Encounter?patient=Patient/123&...});
 *   <li>when {@code user/} scopes are the widest that do: to patients registered at the user's organisations, by a
 *       chained parameter ({@code Encounter?patient:Patient.general-practitioner=Organization/a,Organization/b}),
 *       {@code general-practitioner} on Patient itself and {@code managing-entity} on Group;
 *   <li>{@code system/} scopes: nothing is narrowed.
 * </ul>
 *
 * {@code $everything} is narrowed to the types the token may read ({@code _type}), never Groups.
 *
 * HAPI's authorization then checks every resource the search answers, so narrowing is a convenience, never the
 * guard.
 */
class SmartSearchNarrowing extends SearchNarrowingInterceptor {

    /** An organisation reference that matches nothing, for a user whose roles name none. */
    static final String NO_ORGANISATION = "Organization/no-organisation-in-reach";

    private final SmartRequests requests;
    private final PatientReach reach;

    SmartSearchNarrowing(SmartRequests requests, PatientReach reach) {
        this.requests = requests;
        this.reach = reach;
    }

    @Override
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void hookIncomingRequestPostProcessed(
            RequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null || operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
            // HAPI's narrowing does not handle system-level search; authorization checks each result
            return;
        }
        super.hookIncomingRequestPostProcessed(request, servletRequest, servletResponse);
        if ("$everything".equals(request.getOperation())) {
            narrowEverything(request);
        }
        if (operation == RestOperationTypeEnum.SEARCH_TYPE
                && widest(request, request.getResourceName()) == Context.USER) {
            narrowToUser(request);
        }
    }

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        String type = request.getResourceName();
        if (type == null || widest(request, type) != Context.PATIENT) {
            return null;
        }
        String patient = requests.token(request).orElseThrow().patient();
        return new AuthorizedList().addCompartment("Patient/" + patient);
    }

    /** The widest context whose scopes allow searching {@code type}: system, then user, then patient; or null. */
    private Context widest(RequestDetails request, String type) {
        SmartToken token = requests.token(request).orElse(null);
        if (token == null || type == null) {
            return null;
        }
        for (Context context : List.of(Context.SYSTEM, Context.USER, Context.PATIENT)) {
            if (token.grants(context, type, Permission.SEARCH)) {
                return context;
            }
        }
        return null;
    }

    /**
     * {@code $everything} for a patient or user token: only the types the token may read, and never a Group (a cohort
     * the patient is in lists other patients), so that the answer holds what may be shown rather than being refused.
     */
    private void narrowEverything(RequestDetails request) {
        SmartToken token = requests.token(request).orElse(null);
        if (token == null || !token.scopesOf(Context.SYSTEM).isEmpty()) {
            return;
        }
        Set<String> readable = new TreeSet<>();
        for (String type : request.getFhirContext().getResourceTypes()) {
            if (!"Group".equals(type)
                    && !SmartAuthorizationInterceptor.SYSTEM_ONLY_TYPES.contains(type)
                    && (token.grants(Context.USER, type, Permission.READ)
                            || token.grants(Context.PATIENT, type, Permission.READ))) {
                readable.add(type);
            }
        }
        String[] asked = request.getParameters().get("_type");
        if (asked != null) {
            Set<String> wanted = new TreeSet<>();
            for (String value : asked) {
                for (String type : value.split(",")) {
                    wanted.add(type.trim());
                }
            }
            readable.retainAll(wanted);
        }
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        parameters.put("_type", new String[] {readable.isEmpty() ? "Patient" : String.join(",", readable)});
        request.setParameters(parameters);
    }

    private void narrowToUser(RequestDetails request) {
        FhirContext fhir = request.getFhirContext();
        String type = request.getResourceName();
        SmartToken token = requests.token(request).orElseThrow();
        Set<String> organisations = reach.organisations(token);
        String practices = organisations.isEmpty()
                ? NO_ORGANISATION
                : organisations.stream()
                        .sorted()
                        .map(id -> "Organization/" + id)
                        .collect(Collectors.joining(","));
        String parameter;
        if ("Patient".equals(type)) {
            parameter = "general-practitioner";
        } else if ("Group".equals(type)) {
            parameter = "managing-entity";
        } else {
            List<RuntimeSearchParam> compartment =
                    fhir.getResourceDefinition(type).getSearchParamsForCompartmentName("Patient");
            if (compartment.isEmpty()) {
                return; // data about no patient
            }
            String chosen = compartment.stream()
                    .map(RuntimeSearchParam::getName)
                    .filter(name -> name.equals("patient"))
                    .findFirst()
                    .orElse(compartment.get(0).getName());
            parameter = chosen + ":Patient.general-practitioner";
        }
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        String[] existing = parameters.getOrDefault(parameter, new String[0]);
        String[] narrowed = Arrays.copyOf(existing, existing.length + 1);
        narrowed[existing.length] = practices;
        parameters.put(parameter, narrowed);
        request.setParameters(parameters);
    }
}
