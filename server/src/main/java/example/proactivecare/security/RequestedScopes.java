package example.proactivecare.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Which scopes a client may ask for: those registered for it, and any SMART resource scope that a registered one
 * covers. A client registered with {@code patient/*.rs} may ask for {@code patient/Observation.rs}, {@code
 * patient/Patient.read} or {@code patient/Encounter.s}, and gets only what it asked for; it may not ask for {@code
 * patient/Observation.c} or {@code user/Observation.rs}. Anything else (launch, openid, fhirUser, offline_access, a
 * granular scope with a query) must be registered as it is asked.
 *
 * <p>Spring Authorization Server compares scope strings exactly; its own validators still decide, over the client's
 * registered scopes widened by the requested ones a registered scope covers, so its errors ({@code invalid_scope}) are
 * unchanged.
 */
final class RequestedScopes {

    private RequestedScopes() {}

    /** Whether one of {@code registered} allows a client to ask for {@code requested}. */
    static boolean covered(String requested, Collection<String> registered) {
        if (registered.contains(requested)) {
            return true;
        }
        Optional<SmartScope> asked = SmartScope.parse(requested);
        if (asked.isEmpty()) {
            return false;
        }
        return registered.stream()
                .map(SmartScope::parse)
                .flatMap(Optional::stream)
                .anyMatch(scope -> covers(scope, asked.get()));
    }

    private static boolean covers(SmartScope registered, SmartScope asked) {
        return registered.context() == asked.context()
                && (SmartScope.ANY_TYPE.equals(registered.resourceType())
                        || registered.resourceType().equals(asked.resourceType()))
                && registered.permissions().containsAll(asked.permissions());
    }

    /** The client as if it had registered each requested scope that a registered one covers. */
    static RegisteredClient widened(RegisteredClient client, Collection<String> requested) {
        Set<String> registered = client.getScopes();
        List<String> covered = requested.stream()
                .filter(scope -> !registered.contains(scope) && covered(scope, registered))
                .toList();
        if (covered.isEmpty()) {
            return client;
        }
        return RegisteredClient.from(client)
                .scopes(scopes -> scopes.addAll(new LinkedHashSet<>(covered)))
                .build();
    }

    /** The authorization endpoint's check: the redirect URI as Spring checks it, then the scopes. */
    static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> authorizationRequests() {
        return OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR.andThen(context -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
            OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR.accept(
                    OAuth2AuthorizationCodeRequestAuthenticationContext.with(request)
                            .registeredClient(widened(context.getRegisteredClient(), request.getScopes()))
                            .build());
        });
    }

    /** The token endpoint's check for {@code client_credentials}. */
    static Consumer<OAuth2ClientCredentialsAuthenticationContext> clientCredentials() {
        return context -> {
            OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
            OAuth2ClientCredentialsAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR.accept(
                    OAuth2ClientCredentialsAuthenticationContext.with(request)
                            .registeredClient(widened(context.getRegisteredClient(), request.getScopes()))
                            .build());
        };
    }
}
