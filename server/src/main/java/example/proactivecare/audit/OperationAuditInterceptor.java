package example.proactivecare.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import example.proactivecare.async.AsyncResponder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * AuditEvents, in the style of IHE BALP, for what HAPI's BALP interceptor does not record: every operation (the
 * project's cohort, report and care-plan operations, {@code $everything}, {@code $export}...), history reads, and
 * every request refused for want of a scope (403).
 *
 * <p>A search that finds nothing is recorded too (HAPI's interceptor sees no results to record).
 *
 * <p>Each says who (client and user, from {@link AuditContext}), when, what (the resource the operation was called
 * on, the resources it stored, the patients whose data it showed, the request itself as the query) and the outcome:
 * success ({@code 0}), refused or bad request ({@code 4}), or failed ({@code 8}). An operation that showed several
 * patients' data gets one event per patient, as BALP does for searches, so that {@code AuditEvent?patient=} finds
 * every access to a patient's record.
 */
@Interceptor
public class OperationAuditInterceptor {

    static final String RESTFUL_INTERACTION = BalpConstants.CS_RESTFUL_INTERACTION;
    /** BALP's code system for the request id entity (as HAPI's BALP interceptor writes it). */
    static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";

    private static final String SHOWN = OperationAuditInterceptor.class.getName() + ".shown";
    private static final String STORED = OperationAuditInterceptor.class.getName() + ".stored";
    private static final String SEARCH_SHOWN = OperationAuditInterceptor.class.getName() + ".searchShown";
    private static final Set<RestOperationTypeEnum> SEARCHES =
            EnumSet.of(RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.SEARCH_SYSTEM);
    private static final Set<RestOperationTypeEnum> AUDITED = EnumSet.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
            RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.HISTORY_SYSTEM);

    /** Operations on no patient's data (terminology) and status polls: not audited. */
    static final Set<String> NOT_AUDITED =
            Set.of("$expand", "$validate-code", "$lookup", "$subsumes", "$translate", "$export-poll-status");

    private final IBalpAuditEventSink sink;
    private final AuditContext context;

    public OperationAuditInterceptor(IBalpAuditEventSink sink, AuditContext context) {
        this.sink = sink;
        this.context = context;
    }

    /**
     * The patients whose data a history read or {@code $everything} shows. (A cohort or report operation reads what it
     * needs inside; what it answers is recorded as the Group or reports it stores, and the resource it was called on.)
     */
    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void shown(IPreResourceShowDetails details, RequestDetails request) {
        if (request != null && SEARCHES.contains(request.getRestOperationType())) {
            request.getUserData().put(SEARCH_SHOWN, Boolean.TRUE);
        }
        if (request == null
                || !AUDITED.contains(request.getRestOperationType())
                || (request.getOperation() != null && !"$everything".equals(request.getOperation()))) {
            return;
        }
        Set<String> patients = set(request, SHOWN);
        FhirContext fhir = request.getFhirContext();
        for (IBaseResource resource : details.getAllResources()) {
            if (resource != null) {
                patients.addAll(patientsOf(fhir, resource));
            }
        }
    }

    /** What an operation stores (a cohort Group, MeasureReports, a Provenance). */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        stored(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource oldResource, IBaseResource resource, RequestDetails request) {
        stored(resource, request);
    }

    private void stored(IBaseResource resource, RequestDetails request) {
        if (request != null && AUDITED.contains(request.getRestOperationType())) {
            set(request, STORED)
                    .add(resource.getIdElement().toUnqualifiedVersionless().getValue());
        }
    }

    private static boolean audited(RequestDetails request) {
        return AUDITED.contains(request.getRestOperationType()) && !NOT_AUDITED.contains(request.getOperation());
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(ServletRequestDetails request) {
        if (audited(request)) {
            record(request, AuditEvent.AuditEventOutcome._0, null);
        } else if (SEARCHES.contains(request.getRestOperationType())
                && !request.getUserData().containsKey(SEARCH_SHOWN)) {
            // a search that found nothing: HAPI's BALP interceptor sees no results, but who looked for what counts
            sink.recordAuditEvent(event(request, AuditEvent.AuditEventOutcome._0, null, Set.of()));
        }
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails request, BaseServerResponseException exception) {
        boolean refused = exception.getStatusCode() == 403;
        if (request.getRestOperationType() != null && (refused || audited(request))) {
            AuditEvent.AuditEventOutcome outcome = exception.getStatusCode() >= 500
                    ? AuditEvent.AuditEventOutcome._8
                    : AuditEvent.AuditEventOutcome._4;
            record(request, outcome, exception.getStatusCode() + " " + exception.getMessage());
        }
        return true;
    }

    private void record(RequestDetails request, AuditEvent.AuditEventOutcome outcome, String failure) {
        Set<String> shown = new TreeSet<>(set(request, SHOWN));
        Set<String> named = new TreeSet<>(patientsNamed(request));
        named.addAll(patientsAnswered(request));
        if (shown.isEmpty() || outcome != AuditEvent.AuditEventOutcome._0) {
            // one event for the request: an operation's answer (a cohort's members), or a refusal
            named.addAll(shown);
            sink.recordAuditEvent(event(request, outcome, failure, named));
        } else {
            // a history or $everything: one event per patient whose record was shown, as BALP does for searches
            for (String patient : shown) {
                sink.recordAuditEvent(event(request, outcome, failure, Set.of(patient)));
            }
        }
    }

    /**
     * The patients an operation's answer lists without storing them: the members of a cohort Group that a preview
     * ({@code persist=false}) answers. A stored Group is recorded as itself.
     */
    private static Set<String> patientsAnswered(RequestDetails request) {
        Set<String> patients = new LinkedHashSet<>();
        Object result = request.getUserData().get(AsyncResponder.RESULT);
        List<IBaseResource> answered = new ArrayList<>();
        if (result instanceof Parameters parameters) {
            parameters.getParameter().stream()
                    .filter(p -> p.getResource() != null)
                    .forEach(p -> answered.add(p.getResource()));
        } else if (result instanceof IBaseResource resource) {
            answered.add(resource);
        }
        for (IBaseResource resource : answered) {
            if (resource instanceof Group group && !group.getIdElement().hasIdPart()) {
                for (Group.GroupMemberComponent member : group.getMember()) {
                    addPatient(patients, member.getEntity().getReference());
                }
            }
        }
        return patients;
    }

    private AuditEvent event(
            RequestDetails request, AuditEvent.AuditEventOutcome outcome, String failure, Set<String> patients) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        boolean isOperation = operation.name().startsWith("EXTENDED_OPERATION");
        AuditEvent event = new AuditEvent();
        event.getType()
                .setSystem(BalpConstants.CS_AUDIT_EVENT_TYPE)
                .setCode("rest")
                .setDisplay("Restful Operation");
        event.addSubtype(new Coding(RESTFUL_INTERACTION, isOperation ? "operation" : operation.getCode(), null));
        event.setAction(
                isOperation || SEARCHES.contains(operation)
                        ? AuditEvent.AuditEventAction.E
                        : AuditEvent.AuditEventAction.R);
        event.setRecorded(new Date());
        event.setOutcome(outcome);
        if (failure != null) {
            event.setOutcomeDesc(failure);
        }
        event.getSource().getObserver().setDisplay(request.getFhirServerBase());

        AuditEvent.AuditEventAgentComponent client = event.addAgent();
        client.setWho(context.getAgentClientWho(request));
        client.setName(client.getWho().getIdentifier().getValue());
        client.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application"));
        client.setRequestor(false);
        String address = context.getNetworkAddress(request);
        if (address != null) {
            client.getNetwork().setAddress(address).setType(context.getNetworkAddressType(request));
        }
        AuditEvent.AuditEventAgentComponent user = event.addAgent();
        user.setWho(context.getAgentUserWho(request));
        user.setName(user.getWho().getIdentifier().getValue());
        user.getType()
                .addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient"));
        user.setRequestor(true);

        AuditEvent.AuditEventEntityComponent query = entity(
                event,
                BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT,
                BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT_DISPLAY,
                BalpConstants.CS_OBJECT_ROLE_24_QUERY,
                "Query");
        String described = request.getRequestType() + " " + request.getCompleteUrl();
        query.setDescription(described);
        query.setQuery(described.getBytes(StandardCharsets.UTF_8));

        AuditEvent.AuditEventEntityComponent transaction = event.addEntity();
        transaction.getType().setSystem(BALP_ENTITY_TYPE).setCode("XrequestId");
        transaction.getWhat().getIdentifier().setValue(request.getRequestId());

        IIdType target = request.getId();
        if (target != null && target.hasIdPart() && target.hasResourceType()) {
            data(event, target.toUnqualifiedVersionless().getValue());
        }
        Object result = request.getUserData().get(AsyncResponder.RESULT);
        if (result instanceof Parameters parameters) {
            parameters.getParameter().stream()
                    .filter(p -> p.getResource() instanceof Group
                            && p.getResource().getIdElement().hasIdPart())
                    .forEach(p -> set(request, STORED)
                            .add(p.getResource()
                                    .getIdElement()
                                    .toUnqualifiedVersionless()
                                    .getValue()));
        }
        Object job = request.getUserData().get(AsyncResponder.JOB);
        if (job != null) {
            event.setOutcomeDesc("accepted: asynchronous job " + job);
        }
        String scope = organisationParameter(request, "scope");
        if (scope != null) {
            data(event, scope);
        }
        for (String stored : set(request, STORED)) {
            if (target == null
                    || !stored.equals(target.toUnqualifiedVersionless().getValue())) {
                data(event, stored);
            }
        }
        for (String patient : patients) {
            entity(
                            event,
                            BalpConstants.CS_AUDIT_ENTITY_TYPE_1_PERSON,
                            BalpConstants.CS_AUDIT_ENTITY_TYPE_1_PERSON_DISPLAY,
                            BalpConstants.CS_OBJECT_ROLE_1_PATIENT,
                            BalpConstants.CS_OBJECT_ROLE_1_PATIENT_DISPLAY)
                    .setWhat(new Reference(patient));
        }
        return event;
    }

    private static void data(AuditEvent event, String reference) {
        entity(
                        event,
                        BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT,
                        BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT_DISPLAY,
                        BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE,
                        BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE_DISPLAY)
                .setWhat(new Reference(reference));
    }

    /** A new entity of the event with its BALP type (audit-entity-type) and role (object-role). */
    private static AuditEvent.AuditEventEntityComponent entity(
            AuditEvent event, String type, String typeDisplay, String role, String roleDisplay) {
        AuditEvent.AuditEventEntityComponent entity = event.addEntity();
        entity.getType()
                .setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
                .setCode(type)
                .setDisplay(typeDisplay);
        entity.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE).setCode(role).setDisplay(roleDisplay);
        return entity;
    }

    /** An operation parameter naming an Organization (the scope of a cohort), as {@code Organization/<id>}. */
    private static String organisationParameter(RequestDetails request, String name) {
        String value = null;
        String[] values = request.getParameters().get(name);
        if (values != null && values.length > 0) {
            value = values[0];
        } else if (request.getResource() instanceof Parameters parameters
                && parameters.getParameter(name) != null
                && parameters.getParameter(name).getValue() instanceof Reference reference) {
            value = reference.getReference();
        }
        if (value == null) {
            return null;
        }
        IdType id = new IdType(value);
        return "Organization".equals(id.getResourceType()) && id.hasIdPart() ? "Organization/" + id.getIdPart() : null;
    }

    /** The patients a request names: the Patient it is called on, or a {@code patient} parameter. */
    private static Set<String> patientsNamed(RequestDetails request) {
        Set<String> patients = new LinkedHashSet<>();
        IIdType target = request.getId();
        if (target != null && "Patient".equals(target.getResourceType()) && target.hasIdPart()) {
            patients.add("Patient/" + target.getIdPart());
        }
        String[] named = request.getParameters().get("patient");
        if (named != null) {
            for (String value : named) {
                addPatient(patients, value);
            }
        }
        if (request.getResource() instanceof Parameters parameters
                && parameters.getParameter("patient") != null
                && parameters.getParameter("patient").getValue() instanceof Reference reference) {
            addPatient(patients, reference.getReference());
        }
        return patients;
    }

    private static void addPatient(Set<String> patients, String value) {
        if (value == null) {
            return;
        }
        IdType id = new IdType(value);
        if (id.hasIdPart() && (!id.hasResourceType() || "Patient".equals(id.getResourceType()))) {
            patients.add("Patient/" + id.getIdPart());
        }
    }

    static Set<String> patientsOf(FhirContext fhir, IBaseResource resource) {
        Set<String> patients = new LinkedHashSet<>();
        if (resource instanceof Patient patient) {
            patients.add("Patient/" + patient.getIdElement().getIdPart());
            return patients;
        }
        if (fhir.getResourceDefinition(resource)
                .getSearchParamsForCompartmentName("Patient")
                .isEmpty()) {
            return patients;
        }
        for (IIdType owner : fhir.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of())) {
            if (owner.hasIdPart() && (!owner.hasResourceType() || "Patient".equals(owner.getResourceType()))) {
                patients.add("Patient/" + owner.getIdPart());
            }
        }
        return patients;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> set(RequestDetails request, String key) {
        Map<Object, Object> data = request.getUserData();
        return (Set<String>) data.computeIfAbsent(key, k -> new LinkedHashSet<String>());
    }
}
