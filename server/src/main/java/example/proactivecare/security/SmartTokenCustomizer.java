package example.proactivecare.security;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts SMART's claims into the tokens the embedded server issues.
 *
 * <ul>
 *   <li>access token: {@code scope} as one space-separated string, {@code client_id}, the user's {@code fhirUser}
 *       (relative, such as {@code Practitioner/1}) and the launch {@code patient} when there are any;
 *   <li>ID token ({@code openid}): {@code fhirUser} as an absolute URL on this server's FHIR base, when {@code fhirUser}
 *       was asked for.
 * </ul>
 */
final class SmartTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String FHIR_USER_SCOPE = "fhirUser";

    private final Map<String, AuthorizationServerProperties.User> users;
    private final Function<String, String> fhirBaseForIssuer;

    SmartTokenCustomizer(
            Map<String, AuthorizationServerProperties.User> users, Function<String, String> fhirBaseForIssuer) {
        this.users = Map.copyOf(users);
        this.fhirBaseForIssuer = fhirBaseForIssuer;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        Set<String> scopes = context.getAuthorizedScopes();
        String fhirUser = fhirUser(context);
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            context.getClaims().claim("scope", String.join(" ", scopes));
            context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
            if (fhirUser != null) {
                context.getClaims().claim("fhirUser", fhirUser);
            }
            String patient = launchPatient(context.getPrincipal());
            if (patient != null) {
                context.getClaims().claim("patient", patient);
            }
        } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
                && fhirUser != null
                && scopes.contains(OidcScopes.OPENID)
                && scopes.contains(FHIR_USER_SCOPE)) {
            String issuer = AuthorizationServerContextHolder.getContext().getIssuer();
            context.getClaims().claim("fhirUser", fhirBaseForIssuer.apply(issuer) + "/" + fhirUser);
        }
    }

    private String fhirUser(JwtEncodingContext context) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            return null;
        }
        AuthorizationServerProperties.User user =
                users.get(context.getPrincipal().getName());
        return user == null ? null : SmartToken.relativeReference(user.fhirUser());
    }

    static String launchPatient(Authentication principal) {
        return principal != null && principal.getDetails() instanceof LaunchContext launch ? launch.patient() : null;
    }
}
