package example.proactivecare.security;

import example.proactivecare.security.SmartScope.Context;
import example.proactivecare.security.SmartScope.Permission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which scope each FHIR operation needs: the one place to declare it. An operation that is not declared here is
 * refused to every token (403), so a new custom operation is closed until its line is added.
 *
 * <p>Each project operation's OperationDefinition (in {@code profiles/}) states the same in its {@code comment}
 * ("Required scope: ..."), which {@code OperationScopesTest} checks against this table.
 *
 * <p>A custom operation that passes is authorised as a whole: what it reads and writes inside is its own business
 * (deriving a cohort writes a Group, a ranking writes MeasureReports), and its answer is not filtered. {@code
 * $everything} is the exception: each resource of its answer must also be readable by the token, as with a search.
 */
public final class OperationScopes {

    /** Where an operation is called: on the server, on a resource type, or on one resource. */
    public enum Level {
        SERVER,
        TYPE,
        INSTANCE
    }

    /**
     * What a {@code user/} or {@code patient/} token may reach through an operation; a {@code system/} token reaches
     * everything.
     */
    public enum Reach {
        /** No patient data: the scope is enough. */
        NONE,
        /** The Organization it is called on ({@code Organization/[id]/$...}) must be one of the user's organisations. */
        ORGANIZATION_INSTANCE,
        /**
         * The Organization named by the {@code scope} parameter must be one of the user's organisations; without it
         * (every practice) a user may not call it.
         */
        ORGANIZATION_SCOPE_PARAMETER,
        /** The Group it is called on must be one the user may read (its managing organisation is theirs). */
        GROUP_INSTANCE,
        /** The Patient it is called on must be the launch patient, or registered at one of the user's organisations. */
        PATIENT_INSTANCE
    }

    /**
     * One operation's rule.
     *
     * @param name the operation, with its {@code $}
     * @param resourceType the type it is called on; null at server level
     * @param level where it is called
     * @param scopeType the resource type of the scope it needs ({@code *} for a scope on every type)
     * @param permissions what that scope must allow
     * @param contexts which kinds of token may call it
     * @param reach what a user or patient token must be able to reach
     * @param checkAnswer whether each resource of the answer must also be readable by the token
     */
    public record Policy(
            String name,
            String resourceType,
            Level level,
            String scopeType,
            Set<Permission> permissions,
            Set<Context> contexts,
            Reach reach,
            boolean checkAnswer) {

        public Policy {
            permissions = Set.copyOf(permissions);
            contexts = Set.copyOf(contexts);
        }

        /** The scopes that satisfy it, as written in the OperationDefinitions: {@code system/Group.c or user/Group.c}. */
        public List<String> requiredScopes() {
            List<String> scopes = new ArrayList<>();
            for (Context context : List.of(Context.SYSTEM, Context.USER, Context.PATIENT)) {
                if (contexts.contains(context)) {
                    scopes.add(new SmartScope(context, scopeType, permissions).toString());
                }
            }
            return scopes;
        }

        boolean grantedTo(SmartToken token, Context context) {
            return contexts.contains(context)
                    && token.usable(context)
                    && permissions.stream().allMatch(p -> token.grants(context, scopeType, p));
        }
    }

    private static final Set<Context> SYSTEM = EnumSet.of(Context.SYSTEM);
    private static final Set<Context> SYSTEM_OR_USER = EnumSet.of(Context.SYSTEM, Context.USER);
    private static final Set<Context> ANY = EnumSet.allOf(Context.class);
    private static final Set<Permission> C = EnumSet.of(Permission.CREATE);
    private static final Set<Permission> R = EnumSet.of(Permission.READ);
    private static final Set<Permission> U = EnumSet.of(Permission.UPDATE);
    private static final Set<Permission> RS = EnumSet.of(Permission.READ, Permission.SEARCH);
    private static final Set<Permission> CRUDS = EnumSet.allOf(Permission.class);

    /** Every operation open to SMART clients. */
    public static final List<Policy> DECLARED = List.of(
            // cohorts (profiles/frequent-attenders.json, review-member.json)
            new Policy(
                    "$frequent-attenders",
                    "Group",
                    Level.TYPE,
                    "Group",
                    C,
                    SYSTEM_OR_USER,
                    Reach.ORGANIZATION_SCOPE_PARAMETER,
                    false),
            new Policy(
                    "$review-member", "Group", Level.INSTANCE, "Group", U, SYSTEM_OR_USER, Reach.GROUP_INSTANCE, false),
            // care plans (profiles/generate-care-plans.json, generate-care-plan.json)
            new Policy(
                    "$generate-care-plans",
                    "Group",
                    Level.INSTANCE,
                    "CarePlan",
                    C,
                    SYSTEM_OR_USER,
                    Reach.GROUP_INSTANCE,
                    false),
            new Policy(
                    "$generate-care-plan",
                    "Patient",
                    Level.INSTANCE,
                    "CarePlan",
                    C,
                    SYSTEM_OR_USER,
                    Reach.PATIENT_INSTANCE,
                    false),
            // reports to the ICS (profiles/practice-ranking.json, access-report.json, data-quality.json)
            new Policy(
                    "$practice-ranking",
                    "Organization",
                    Level.INSTANCE,
                    "MeasureReport",
                    C,
                    SYSTEM_OR_USER,
                    Reach.ORGANIZATION_INSTANCE,
                    false),
            new Policy(
                    "$access-report",
                    "Organization",
                    Level.INSTANCE,
                    "MeasureReport",
                    C,
                    SYSTEM_OR_USER,
                    Reach.ORGANIZATION_INSTANCE,
                    false),
            new Policy(
                    "$data-quality",
                    "Organization",
                    Level.INSTANCE,
                    "MeasureReport",
                    C,
                    SYSTEM_OR_USER,
                    Reach.ORGANIZATION_INSTANCE,
                    false),
            // rebuilding the analytic projection reads and rewrites everything: full system access only
            new Policy("$rebuild-views", null, Level.SERVER, "*", CRUDS, SYSTEM, Reach.NONE, false),
            // HAPI's: a patient's whole record; each resource of the answer is checked as a read
            new Policy("$everything", "Patient", Level.INSTANCE, "Patient", R, ANY, Reach.PATIENT_INSTANCE, true),
            new Policy("$everything", "Patient", Level.TYPE, "Patient", RS, SYSTEM, Reach.NONE, true),
            // Bulk Data export, for ICS tools: the types exported must each be readable too (BulkExportScopes)
            new Policy("$export", "Group", Level.INSTANCE, "Group", R, SYSTEM, Reach.NONE, false),
            new Policy("$export", "Patient", Level.TYPE, "Patient", RS, SYSTEM, Reach.NONE, false),
            new Policy("$export", null, Level.SERVER, "*", RS, SYSTEM, Reach.NONE, false),
            new Policy("$export-poll-status", null, Level.SERVER, "*", Set.of(), SYSTEM, Reach.NONE, false),
            // terminology: no patient data
            new Policy("$expand", "ValueSet", Level.TYPE, "ValueSet", R, ANY, Reach.NONE, false),
            new Policy("$expand", "ValueSet", Level.INSTANCE, "ValueSet", R, ANY, Reach.NONE, false),
            new Policy("$validate-code", "ValueSet", Level.TYPE, "ValueSet", R, ANY, Reach.NONE, false),
            new Policy("$validate-code", "ValueSet", Level.INSTANCE, "ValueSet", R, ANY, Reach.NONE, false),
            new Policy("$validate-code", "CodeSystem", Level.TYPE, "CodeSystem", R, ANY, Reach.NONE, false),
            new Policy("$validate-code", "CodeSystem", Level.INSTANCE, "CodeSystem", R, ANY, Reach.NONE, false),
            new Policy("$lookup", "CodeSystem", Level.TYPE, "CodeSystem", R, ANY, Reach.NONE, false),
            new Policy("$subsumes", "CodeSystem", Level.TYPE, "CodeSystem", R, ANY, Reach.NONE, false),
            new Policy("$translate", "ConceptMap", Level.TYPE, "ConceptMap", R, ANY, Reach.NONE, false),
            new Policy("$translate", "ConceptMap", Level.INSTANCE, "ConceptMap", R, ANY, Reach.NONE, false));

    private final List<Policy> policies;

    public OperationScopes(List<Policy> policies) {
        this.policies = List.copyOf(policies);
    }

    /** The rule for an operation called at a level on a type (null type at server level). */
    public Optional<Policy> find(String name, String resourceType, Level level) {
        return policies.stream()
                .filter(p -> p.name().equals(name)
                        && p.level() == level
                        && (p.resourceType() == null
                                ? resourceType == null
                                : p.resourceType().equals(resourceType)))
                .findFirst();
    }

    public List<Policy> all() {
        return policies;
    }
}
