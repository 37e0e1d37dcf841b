package example.proactivecare.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a validated access token says about its bearer, in SMART terms: the client, the user (their {@code fhirUser}),
 * the launch patient, and the resource scopes granted.
 *
 * @param issuer the token's {@code iss}
 * @param subject the token's {@code sub}: the user, or the client itself for backend services
 * @param clientId the client the token was issued to
 * @param fhirUser the user's FHIR resource as a relative reference ({@code Practitioner/123}), or null
 * @param patient the launch patient's id (no type), or null
 * @param scopes every scope string granted, resource scopes or not ({@code openid}, {@code launch/patient})
 * @param resourceScopes the resource scopes among them that this server honours
 */
public record SmartToken(
        String issuer,
        String subject,
        String clientId,
        String fhirUser,
        String patient,
        Set<String> scopes,
        List<SmartScope> resourceScopes) {

    public SmartToken {
        scopes = Set.copyOf(scopes);
        resourceScopes = List.copyOf(resourceScopes);
    }

    /** Reads a token with the claim names in {@code claims}. */
    public static SmartToken of(Jwt jwt, SecurityProperties.Claims claims) {
        Set<String> scopes = new LinkedHashSet<>(scopeValues(jwt.getClaim(claims.scope())));
        if (scopes.isEmpty() && !"scp".equals(claims.scope())) {
            scopes.addAll(scopeValues(jwt.getClaim("scp")));
        }
        List<SmartScope> resourceScopes = new ArrayList<>();
        for (String scope : scopes) {
            SmartScope.parse(scope).ifPresent(resourceScopes::add);
        }
        String clientId = Optional.ofNullable(jwt.getClaimAsString(claims.clientId()))
                .or(() -> Optional.ofNullable(jwt.getClaimAsString("azp")))
                .orElse(jwt.getSubject());
        return new SmartToken(
                jwt.getClaimAsString("iss"),
                jwt.getSubject(),
                clientId,
                relativeReference(jwt.getClaimAsString(claims.fhirUser())),
                patientId(jwt.getClaimAsString(claims.patient())),
                scopes,
                resourceScopes);
    }

    private static Collection<String> scopeValues(Object claim) {
        if (claim instanceof String text) {
            return List.of(text.trim().split("\\s+"));
        }
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /** {@code https://host/fhir/Practitioner/1} or {@code Practitioner/1} as {@code Practitioner/1}. */
    static String relativeReference(String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        String[] parts = reference.split("/");
        if (parts.length < 2) {
            return null;
        }
        int last = parts.length - 1;
        if ("_history".equals(parts.length >= 4 ? parts[last - 1] : "")) {
            last -= 2;
        }
        return parts[last - 1] + "/" + parts[last];
    }

    private static String patientId(String patient) {
        if (patient == null || patient.isBlank()) {
            return null;
        }
        String relative = patient.contains("/") ? relativeReference(patient) : "Patient/" + patient;
        return relative != null && relative.startsWith("Patient/") ? relative.substring("Patient/".length()) : null;
    }

    /** Whether any scope of {@code context} allows {@code permission} on {@code type}. */
    public boolean grants(SmartScope.Context context, String type, SmartScope.Permission permission) {
        return resourceScopes.stream()
                .anyMatch(scope ->
                        scope.context() == context && usable(scope.context()) && scope.grants(type, permission));
    }

    /** Whether any usable scope, of any context, allows {@code permission} on {@code type}. */
    public boolean grantsAnyContext(String type, SmartScope.Permission permission) {
        for (SmartScope.Context context : SmartScope.Context.values()) {
            if (grants(context, type, permission)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether scopes of a context can be used: {@code patient/} scopes need a launch patient, {@code user/} scopes a
     * {@code fhirUser}; without them such scopes grant nothing.
     */
    public boolean usable(SmartScope.Context context) {
        return switch (context) {
            case PATIENT -> patient != null;
            case USER -> fhirUser != null;
            case SYSTEM -> true;
        };
    }

    /** The scopes of one context that can be used. */
    public List<SmartScope> scopesOf(SmartScope.Context context) {
        return usable(context)
                ? resourceScopes.stream().filter(s -> s.context() == context).toList()
                : List.of();
    }

    /** Who, for logs and audit: the user when there is one, else the client. */
    public String describe() {
        return fhirUser != null ? fhirUser + " (" + subject + ") via " + clientId : "client " + clientId;
    }
}
