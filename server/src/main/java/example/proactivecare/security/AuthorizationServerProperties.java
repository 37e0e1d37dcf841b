package example.proactivecare.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded SMART authorization server ({@code proactivecare.security.authorization-server}): its clients and users
 * come from configuration only. The demo ones are in {@code application-dev.yaml}, read only with the {@code dev}
 * profile.
 *
 * @param issuer the issuer URL when the server sits behind a proxy; by default the address a request came in on
 * @param keyFile a JWK set file holding the private key(s) that sign tokens. Without it a key is made at start-up, and
 *     tokens do not outlive a restart
 * @param accessTokenLifetime how long an access token lives, unless its client says otherwise
 * @param clients the registered client applications
 * @param users the people who can log in (care professionals), each with their {@code fhirUser}
 */
@ConfigurationProperties(prefix = "proactivecare.security.authorization-server")
public record AuthorizationServerProperties(
        String issuer, String keyFile, Duration accessTokenLifetime, List<Client> clients, List<User> users) {

    public AuthorizationServerProperties {
        issuer = SecurityProperties.blankToNull(issuer);
        keyFile = SecurityProperties.blankToNull(keyFile);
        accessTokenLifetime = accessTokenLifetime == null ? Duration.ofMinutes(15) : accessTokenLifetime;
        clients = clients == null ? List.of() : List.copyOf(clients);
        users = users == null ? List.of() : List.copyOf(users);
    }

    /**
     * A client application. How it authenticates follows from what is given: {@code jwks} or {@code jwksUri} make it
     * a SMART backend-services client ({@code private_key_jwt}, asymmetric); a {@code clientSecret} makes it a
     * confidential client ({@code client_secret_basic}); neither makes it a public client (PKCE, no secret).
     *
     * @param clientId the client's id
     * @param name what the consent page calls it
     * @param clientSecret a secret, with its Spring password-encoder prefix ({@code {bcrypt}...}, {@code {noop}...})
     * @param jwks the client's public keys as a JWK set (JSON), for signed client assertions
     * @param jwksUri where the client publishes its public keys
     * @param grantTypes {@code authorization_code}, {@code client_credentials}, {@code refresh_token}
     * @param redirectUris where the authorization code may be sent
     * @param scopes the scopes the client may ask for, and the SMART resource scopes they cover ({@link RequestedScopes})
     * @param requireConsent whether the user is asked to approve the scopes
     * @param accessTokenLifetime overrides the server's
     */
    public record Client(
            String clientId,
            String name,
            String clientSecret,
            String jwks,
            String jwksUri,
            List<String> grantTypes,
            List<String> redirectUris,
            List<String> scopes,
            Boolean requireConsent,
            Duration accessTokenLifetime) {

        public Client {
            grantTypes = grantTypes == null ? List.of() : List.copyOf(grantTypes);
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            requireConsent = requireConsent != null && requireConsent;
            clientSecret = SecurityProperties.blankToNull(clientSecret);
            jwks = SecurityProperties.blankToNull(jwks);
            jwksUri = SecurityProperties.blankToNull(jwksUri);
        }

        boolean asymmetric() {
            return jwks != null || jwksUri != null;
        }
    }

    /**
     * A person who logs in at the embedded server's login page.
     *
     * @param username what they type
     * @param password with its Spring password-encoder prefix ({@code {bcrypt}...}; {@code {noop}...} for demos)
     * @param fhirUser their Practitioner, such as {@code Practitioner/123}; their PractitionerRoles give the practices
     *     whose patients they see
     */
    public record User(String username, String password, String fhirUser) {}
}
