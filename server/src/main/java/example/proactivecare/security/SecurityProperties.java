package example.proactivecare.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How FHIR requests are secured ({@code proactivecare.security}).
 *
 * @param enabled false only for local experiments: every request is then let in, and the server says so loudly
 * @param issuerUri an external OpenID Connect issuer (Keycloak, NHS CIS2...). When set, the embedded authorization
 *     server is off and this server only validates that issuer's JWTs, by its JWKS (found by OpenID discovery)
 * @param jwkSetUri the external issuer's JWKS, when discovery should not be used to find it
 * @param audience when set, an access token must list it in {@code aud}
 * @param clockSkew how far a token's times may be off
 * @param claims where the SMART facts are in an access token
 * @param corsAllowedOrigins origins that browser apps may call the FHIR and token endpoints from
 */
@ConfigurationProperties(prefix = "proactivecare.security")
public record SecurityProperties(
        Boolean enabled,
        String issuerUri,
        String jwkSetUri,
        String audience,
        Duration clockSkew,
        Claims claims,
        List<String> corsAllowedOrigins) {

    public SecurityProperties {
        enabled = enabled == null || enabled;
        issuerUri = blankToNull(issuerUri);
        jwkSetUri = blankToNull(jwkSetUri);
        audience = blankToNull(audience);
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        claims = claims == null ? new Claims(null, null, null, null) : claims;
        corsAllowedOrigins = corsAllowedOrigins == null ? List.of("*") : List.copyOf(corsAllowedOrigins);
    }

    /** Whether the embedded authorization server issues the tokens (no external issuer is configured). */
    public boolean embeddedAuthorizationServer() {
        return issuerUri == null && jwkSetUri == null;
    }

    /**
     * The names of the claims that carry SMART's facts. The embedded server writes the defaults; an external issuer
     * may need a mapper for {@code patient} and {@code fhirUser}, or these set to the names it uses.
     *
     * @param scope the granted scopes, a space-separated string or an array ({@code scope}; {@code scp} is tried too)
     * @param patient the launch patient ({@code patient})
     * @param fhirUser the user's FHIR resource ({@code fhirUser})
     * @param clientId the client ({@code client_id}; {@code azp} is tried too)
     */
    public record Claims(String scope, String patient, String fhirUser, String clientId) {
        public Claims {
            scope = scope == null ? "scope" : scope;
            patient = patient == null ? "patient" : patient;
            fhirUser = fhirUser == null ? "fhirUser" : fhirUser;
            clientId = clientId == null ? "client_id" : clientId;
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
