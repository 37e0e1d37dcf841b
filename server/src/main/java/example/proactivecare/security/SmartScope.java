package example.proactivecare.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One SMART on FHIR resource scope, version 1 or 2: {@code patient/Observation.read}, {@code user/*.write},
 * {@code system/Group.c}, {@code patient/Encounter.rs}.
 *
 * <p>Version 1 suffixes map onto version 2 permissions: {@code read} is {@code rs}, {@code write} is {@code cud}, and
 * {@code *} is {@code cruds}. Version 2 permissions must be a non-empty subsequence of {@code cruds}, in that order.
 * A scope with a query ({@code patient/Observation.rs?category=laboratory}, SMART 2 granular scopes) is not honoured
 * by this version: it parses to nothing, so it grants nothing (it never grants more than it says).
 *
 * @param context whose data: the launch patient's, the user's, or anything (backend services)
 * @param resourceType a FHIR resource type, or {@code *} for every type
 * @param permissions what may be done
 */
public record SmartScope(Context context, String resourceType, Set<Permission> permissions) {

    public static final String ANY_TYPE = "*";

    /** The three SMART scope contexts. */
    public enum Context {
        PATIENT("patient"),
        USER("user"),
        SYSTEM("system");

        private final String prefix;

        Context(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    /** SMART 2 permissions, in the order they are written ({@code cruds}). */
    public enum Permission {
        CREATE('c'),
        READ('r'),
        UPDATE('u'),
        DELETE('d'),
        SEARCH('s');

        private final char letter;

        Permission(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }

        static Optional<Permission> of(char letter) {
            for (Permission permission : values()) {
                if (permission.letter == letter) {
                    return Optional.of(permission);
                }
            }
            return Optional.empty();
        }
    }

    public SmartScope {
        permissions = Set.copyOf(permissions);
    }

    /** Parses one scope string; empty for anything that is not a resource scope this server honours. */
    public static Optional<SmartScope> parse(String scope) {
        if (scope == null || scope.contains("?")) {
            return Optional.empty();
        }
        int slash = scope.indexOf('/');
        int dot = scope.lastIndexOf('.');
        if (slash < 0 || dot < slash + 2 || dot == scope.length() - 1) {
            return Optional.empty();
        }
        Context context = null;
        for (Context candidate : Context.values()) {
            if (candidate.prefix.equals(scope.substring(0, slash))) {
                context = candidate;
            }
        }
        String type = scope.substring(slash + 1, dot);
        if (context == null || !(ANY_TYPE.equals(type) || type.chars().allMatch(Character::isLetter))) {
            return Optional.empty();
        }
        Context found = context;
        return permissions(scope.substring(dot + 1)).map(permissions -> new SmartScope(found, type, permissions));
    }

    private static Optional<Set<Permission>> permissions(String suffix) {
        switch (suffix.toLowerCase(Locale.ROOT)) {
            case "read":
                return Optional.of(EnumSet.of(Permission.READ, Permission.SEARCH));
            case "write":
                return Optional.of(EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE));
            case "*":
                return Optional.of(EnumSet.allOf(Permission.class));
            default:
                break;
        }
        // SMART 2: a non-empty subsequence of "cruds", in order, each letter at most once
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        int last = -1;
        for (char letter : suffix.toCharArray()) {
            Optional<Permission> permission = Permission.of(letter);
            if (permission.isEmpty() || permission.get().ordinal() <= last) {
                return Optional.empty();
            }
            last = permission.get().ordinal();
            permissions.add(permission.get());
        }
        return permissions.isEmpty() ? Optional.empty() : Optional.of(permissions);
    }

    /** Whether this scope allows {@code permission} on resources of {@code type}. */
    public boolean grants(String type, Permission permission) {
        return (ANY_TYPE.equals(resourceType) || resourceType.equals(type)) && permissions.contains(permission);
    }

    /** The scope as SMART 2 writes it, such as {@code user/Encounter.rs}. */
    @Override
    public String toString() {
        StringBuilder letters = new StringBuilder();
        for (Permission permission : Permission.values()) {
            if (permissions.contains(permission)) {
                letters.append(permission.letter());
            }
        }
        return context.prefix() + "/" + resourceType + "." + letters;
    }
}
