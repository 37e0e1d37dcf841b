package example.proactivecare.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationFlagsEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import example.proactivecare.security.OperationScopes.Level;
import example.proactivecare.security.OperationScopes.Policy;
import example.proactivecare.security.SmartScope.Context;
import example.proactivecare.security.SmartScope.Permission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * SMART scopes enforced on every FHIR request, by HAPI's {@link AuthorizationInterceptor}: the rules of each request
 * are built from its token.
 *
 * <ol>
 *   <li>an operation must be declared in {@link OperationScopes}, and the token must hold its scope and reach its
 *       target; it is then authorised as a whole ({@code $everything} excepted: its answer is checked as reads are);
 *   <li>the request needs the permission letter for its resource type in some scope ({@link Permission}): reading by
 *       id needs {@code r}, searching and type history {@code s}, creating {@code c}, updating and patching {@code u},
 *       deleting {@code d}; inside a transaction, each entry is checked so;
 *   <li>{@code system/} scopes reach every resource of their type (HAPI's type rules);
 *   <li>{@code user/} scopes reach resources of patients registered at the user's organisations ({@link
 *       UserReach}), cohort Groups those organisations manage, and data about no patient;
 *   <li>{@code patient/} scopes reach the launch patient's compartment (HAPI's compartment rules), and data about no
 *       patient; never a Group, which lists other patients.
 * </ol>
 *
 * Binary, Bundle and AuditEvent resources are reached through {@code system/} scopes only: exports, stored bundles
 * and audit trails hold many patients' data.
 *
 * <p>Anything no rule allows is refused: 403 with an OperationOutcome that says which scope was missing.
 */
class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

    static final Set<String> SYSTEM_ONLY_TYPES = Set.of("Binary", "Bundle", "AuditEvent");

    private static final String DENIAL = SmartAuthorizationInterceptor.class.getName() + ".denial";
    private static final String AUTHORISED_OPERATION = SmartAuthorizationInterceptor.class.getName() + ".operation";

    private final SmartRequests requests;
    private final OperationScopes operations;
    private final PatientReach reach;
    private final DaoRegistry daos;
    private final ExportJobOwners exports;

    SmartAuthorizationInterceptor(
            SmartRequests requests,
            OperationScopes operations,
            PatientReach reach,
            DaoRegistry daos,
            ExportJobOwners exports) {
        super(PolicyEnum.DENY);
        this.exports = exports;
        this.requests = requests;
        this.operations = operations;
        this.reach = reach;
        this.daos = daos;
        // Searches are narrowed to what the token reaches (SmartSearchNarrowing) before they run.
        setFlags(AuthorizationFlagsEnum.DO_NOT_PROACTIVELY_BLOCK_COMPARTMENT_READ_ACCESS);
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        Optional<SmartToken> found = requests.token(request);
        List<IAuthRule> rules = new ArrayList<>();
        RuleBuilder metadata = new RuleBuilder();
        metadata.allow("metadata").metadata();
        rules.addAll(metadata.build());
        if (found.isEmpty()) {
            return rules;
        }
        SmartToken token = found.get();
        rules.add(new OperationRule(token));
        rules.add(new ScopeGate(token));

        RuleBuilder builder = new RuleBuilder();
        builder.allow("transaction entries").transaction().withAnyOperation().andApplyNormalRules();
        for (SmartScope scope : token.scopesOf(Context.SYSTEM)) {
            systemRules(builder, scope);
        }
        rules.addAll(builder.build());

        if (!token.scopesOf(Context.USER).isEmpty()) {
            rules.add(new UserReachRule(token));
        }
        if (!token.scopesOf(Context.PATIENT).isEmpty()) {
            rules.add(new PatientNonCompartmentRule(token));
            rules.add(new NoGroupForPatientRule());
            RuleBuilder patient = new RuleBuilder();
            IIdType owner = new IdType("Patient", token.patient());
            for (SmartScope scope : token.scopesOf(Context.PATIENT)) {
                patientRules(patient, scope, owner);
            }
            rules.addAll(patient.build());
        }
        return rules;
    }

    private static void systemRules(RuleBuilder builder, SmartScope scope) {
        String name = scope.toString();
        Set<Permission> p = scope.permissions();
        if (p.contains(Permission.READ) || p.contains(Permission.SEARCH)) {
            types(builder.allow(name).read(), scope.resourceType()).withAnyId();
        }
        if (p.contains(Permission.CREATE)) {
            types(builder.allow(name).create(), scope.resourceType()).withAnyId();
        }
        if (p.contains(Permission.UPDATE)) {
            types(builder.allow(name).write(), scope.resourceType()).withAnyId();
            builder.allow(name).patch().allRequests();
        }
        if (p.contains(Permission.DELETE)) {
            types(builder.allow(name).delete(), scope.resourceType()).withAnyId();
        }
    }

    private static void patientRules(RuleBuilder builder, SmartScope scope, IIdType owner) {
        if (SYSTEM_ONLY_TYPES.contains(scope.resourceType()) || "Group".equals(scope.resourceType())) {
            return;
        }
        String name = scope.toString();
        Set<Permission> p = scope.permissions();
        if (p.contains(Permission.READ) || p.contains(Permission.SEARCH)) {
            types(builder.allow(name).read(), scope.resourceType()).inCompartment("Patient", owner);
        }
        if (p.contains(Permission.CREATE)) {
            types(builder.allow(name).create(), scope.resourceType()).inCompartment("Patient", owner);
        }
        if (p.contains(Permission.UPDATE)) {
            types(builder.allow(name).write(), scope.resourceType()).inCompartment("Patient", owner);
        }
        if (p.contains(Permission.DELETE)) {
            types(builder.allow(name).delete(), scope.resourceType()).inCompartment("Patient", owner);
        }
    }

    private static IAuthRuleBuilderRuleOpClassifier types(
            ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo<IAuthRuleBuilderRuleOpClassifier> op,
            String type) {
        return SmartScope.ANY_TYPE.equals(type) ? op.allResources() : op.resourcesOfType(type);
    }

    @Override
    protected void handleDeny(RequestDetails request, Verdict decision) {
        Object reason = request.getUserData().get(DENIAL);
        String message = reason != null
                ? reason.toString()
                : "Insufficient scope: no scope of this token allows " + describe(request);
        throw new ForbiddenOperationException(
                message); // answered with a forbidden OperationOutcome (ForbiddenOutcomes)
    }

    private static String describe(RequestDetails request) {
        String what = request.getRestOperationType() == null
                ? "this request"
                : request.getRestOperationType().getCode();
        if (request.getOperation() != null) {
            what = request.getOperation();
        }
        return what + (request.getResourceName() == null ? "" : " on " + request.getResourceName())
                + " (or it reaches data outside the token's patient or the user's organisations)";
    }

    private static Verdict deny(RequestDetails request, String message) {
        request.getUserData().putIfAbsent(DENIAL, message);
        return new Verdict(PolicyEnum.DENY, null);
    }

    private static Verdict allow() {
        return new Verdict(PolicyEnum.ALLOW, null);
    }

    /** Which permission a request needs on its resource type, or null when another rule decides. */
    static Permission needed(RestOperationTypeEnum operation) {
        return switch (operation) {
            case READ, VREAD, HISTORY_INSTANCE -> Permission.READ;
            case SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_TYPE, HISTORY_SYSTEM -> Permission.SEARCH;
            case CREATE -> Permission.CREATE;
            case UPDATE, PATCH, META_ADD, META_DELETE -> Permission.UPDATE;
            case DELETE -> Permission.DELETE;
            default -> null;
        };
    }

    static String anyContext(String type, Permission permission) {
        return "patient/" + type + "." + permission.letter() + ", user/" + type + "." + permission.letter()
                + " or system/" + type + "." + permission.letter();
    }

    private static Level level(RestOperationTypeEnum operation) {
        return switch (operation) {
            case EXTENDED_OPERATION_SERVER -> Level.SERVER;
            case EXTENDED_OPERATION_TYPE -> Level.TYPE;
            case EXTENDED_OPERATION_INSTANCE -> Level.INSTANCE;
            default -> null;
        };
    }

    /** A rule of this class, named for HAPI's log. */
    private abstract static class Rule implements IAuthRule {
        @Override
        public String getName() {
            return getClass().getSimpleName();
        }
    }

    /** Operations: declared, scoped and within reach, or refused. */
    private final class OperationRule extends Rule {

        private final SmartToken token;

        OperationRule(SmartToken token) {
            this.token = token;
        }

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            Level level = request.getRestOperationType() == null ? null : level(request.getRestOperationType());
            if (level == null) {
                return null;
            }
            Object authorised = request.getUserData().get(AUTHORISED_OPERATION);
            if (authorised instanceof Policy policy) {
                // the operation's own reads and writes, and its answer
                return policy.checkAnswer() ? null : allow();
            }
            if (pointcut != Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED || output != null) {
                return null;
            }
            String name = request.getOperation();
            Optional<Policy> declared = operations.find(name, request.getResourceName(), level);
            if (declared.isEmpty()) {
                return deny(
                        request,
                        "Operation " + name
                                + (request.getResourceName() == null ? "" : " on " + request.getResourceName())
                                + " is not open to SMART clients (no scope is declared for it)");
            }
            Policy policy = declared.get();
            List<String> refusals = new ArrayList<>();
            for (Context context : List.of(Context.SYSTEM, Context.USER, Context.PATIENT)) {
                if (!policy.grantedTo(token, context)) {
                    continue;
                }
                String refusal = reachRefusal(policy, context, request);
                if (refusal == null) {
                    request.getUserData().put(AUTHORISED_OPERATION, policy);
                    return allow();
                }
                refusals.add(refusal);
            }
            if (!refusals.isEmpty()) {
                return deny(request, String.join("; ", refusals));
            }
            return deny(
                    request, "Insufficient scope: " + name + " needs " + String.join(" or ", policy.requiredScopes()));
        }

        /** Why the token may not reach the operation's target in this context; null when it may. */
        private String reachRefusal(Policy policy, Context context, RequestDetails request) {
            if ("$export".equals(policy.name())) {
                return BulkExportScopes.refusal(token, request);
            }
            if ("$export-poll-status".equals(policy.name())) {
                return exports.refusal(token, request);
            }
            if (context == Context.SYSTEM) {
                return null;
            }
            IIdType target = request.getId();
            String name = policy.name();
            switch (policy.reach()) {
                case NONE:
                    return null;
                case ORGANIZATION_INSTANCE:
                    return reach.organisations(token).contains(target.getIdPart())
                            ? null
                            : name + ": Organization/" + target.getIdPart() + " is not one of the user's organisations";
                case ORGANIZATION_SCOPE_PARAMETER: {
                    String scope = parameter(request, "scope");
                    if (scope == null) {
                        return name + ": a user token must name one of the user's organisations as scope";
                    }
                    IdType organisation = new IdType(scope);
                    return "Organization".equals(organisation.getResourceType())
                                    && reach.organisations(token).contains(organisation.getIdPart())
                            ? null
                            : name + ": scope " + scope + " is not one of the user's organisations";
                }
                case GROUP_INSTANCE: {
                    Group group;
                    try {
                        group = daos.getResourceDao(Group.class)
                                .read(target.toUnqualifiedVersionless(), new SystemRequestDetails());
                    } catch (ResourceNotFoundException | ResourceGoneException e) {
                        return null; // the operation answers 404 itself
                    }
                    return reach.inReach(token, Context.USER, group, request)
                            ? null
                            : name + ": Group/" + target.getIdPart()
                                    + " is not managed by one of the user's organisations";
                }
                case PATIENT_INSTANCE:
                    if (context == Context.PATIENT) {
                        return target.getIdPart().equals(token.patient())
                                ? null
                                : name + ": Patient/" + target.getIdPart() + " is not the launch patient";
                    }
                    return reach.patientsInReach(token, Set.of(target.getIdPart()), request)
                                    .contains(target.getIdPart())
                            ? null
                            : name + ": Patient/" + target.getIdPart()
                                    + " is not registered at the user's organisations";
                default:
                    return name + ": not reachable";
            }
        }
    }

    /** The value of an operation parameter, from the URL or a Parameters body (references as their reference). */
    static String parameter(RequestDetails request, String name) {
        String[] values = request.getParameters().get(name);
        if (values != null && values.length > 0) {
            return values[0];
        }
        if (request.getResource() instanceof Parameters parameters) {
            Parameters.ParametersParameterComponent found = parameters.getParameter(name);
            if (found != null && found.getValue() instanceof Reference reference) {
                return reference.getReference();
            }
            if (found != null && found.getValue() != null) {
                return found.getValue().primitiveValue();
            }
        }
        return null;
    }

    /** The permission letter for the resource type, in some scope of the token. */
    private static final class ScopeGate extends Rule {

        private final SmartToken token;

        ScopeGate(SmartToken token) {
            this.token = token;
        }

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            if (output != null) {
                return null;
            }
            Permission permission = needed(operation);
            if (permission == null) {
                return operation == RestOperationTypeEnum.GRAPHQL_REQUEST
                        ? deny(request, "GraphQL is not open to SMART clients")
                        : null;
            }
            Set<String> types = new LinkedHashSet<>();
            String target = targetType(input, inputId, request);
            if (target != null) {
                types.add(target);
            } else {
                String[] listed = request.getParameters().get("_type");
                if (listed != null) {
                    for (String value : listed) {
                        for (String type : value.split(",")) {
                            types.add(type.trim());
                        }
                    }
                }
                if (types.isEmpty()) {
                    types.add(SmartScope.ANY_TYPE);
                }
            }
            for (String type : types) {
                if (!token.grantsAnyContext(type, permission)) {
                    return deny(request, "Insufficient scope: this request needs " + anyContext(type, permission));
                }
            }
            return null;
        }
    }

    /**
     * The resource type a rule decides on: the resource's own when there is one, else the id's, else the request's
     * (a search or a type-level operation); null when none says.
     */
    private static String targetType(IBaseResource resource, IIdType id, RequestDetails request) {
        if (resource != null) {
            return request.getFhirContext().getResourceType(resource);
        }
        return id != null && id.hasResourceType() ? id.getResourceType() : request.getResourceName();
    }

    /** Whether a resource of {@code type} that a request answers with may be shown: read or search is granted. */
    private static boolean mayShow(SmartToken token, Context context, String type) {
        return token.grants(context, type, Permission.READ) || token.grants(context, type, Permission.SEARCH);
    }

    /** {@code user/} scopes: resources of patients registered at the user's organisations, and non-patient data. */
    private final class UserReachRule extends Rule {

        private final SmartToken token;

        UserReachRule(SmartToken token) {
            this.token = token;
        }

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            FhirContext fhir = request.getFhirContext();
            if (output != null) {
                String type = fhir.getResourceType(output);
                return mayShow(token, Context.USER, type) && reach.inReach(token, Context.USER, output, request)
                        ? allow()
                        : null;
            }
            Permission permission = needed(operation);
            if (permission == null) {
                return null;
            }
            String type = targetType(input, inputId, request);
            if (type == null || SYSTEM_ONLY_TYPES.contains(type) || !token.grants(Context.USER, type, permission)) {
                return null;
            }
            if (input == null) {
                // a read, a search or a delete by id: what is shown or deleted is checked when it is loaded
                return allow();
            }
            return reach.inReach(token, Context.USER, input, request) ? allow() : null;
        }
    }

    /** {@code patient/} scopes on data about no patient (a practice, a practitioner, terminology). */
    private final class PatientNonCompartmentRule extends Rule {

        private final SmartToken token;

        PatientNonCompartmentRule(SmartToken token) {
            this.token = token;
        }

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            FhirContext fhir = request.getFhirContext();
            IBaseResource resource = output != null ? output : input;
            String type = targetType(resource, inputId, request);
            if (type == null || SYSTEM_ONLY_TYPES.contains(type) || PatientReach.aboutPatients(fhir, type)) {
                return null;
            }
            Permission permission = output != null ? Permission.READ : needed(operation);
            if (permission == null) {
                return null;
            }
            boolean granted = output != null
                    ? mayShow(token, Context.PATIENT, type)
                    : token.grants(Context.PATIENT, type, permission);
            return granted ? allow() : null;
        }
    }

    /**
     * A cohort Group lists other patients: never for {@code patient/} scopes, though the launch patient is a member
     * (HAPI's compartment rules would allow it). Placed after the system and user rules, so it refuses only what they
     * did not allow.
     */
    private static final class NoGroupForPatientRule extends Rule {

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            IBaseResource resource = output != null ? output : input;
            String type = targetType(resource, inputId, request);
            return "Group".equals(type)
                    ? deny(request, "A patient/ token does not reach cohort Groups: they list other patients")
                    : null;
        }
    }
}
