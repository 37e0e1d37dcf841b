package example.proactivecare.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The SMART token behind the FHIR request being handled, read once per request. */
public final class SmartRequests {

    private static final String TOKEN = SmartRequests.class.getName() + ".token";
    private static final String NONE = SmartRequests.class.getName() + ".none";

    private final SecurityProperties.Claims claims;

    public SmartRequests(SecurityProperties.Claims claims) {
        this.claims = claims;
    }

    /** The token the request was made with; empty when it came without one (metadata and discovery only). */
    public Optional<SmartToken> token(RequestDetails request) {
        Object cached = request.getUserData().get(TOKEN);
        if (cached instanceof SmartToken token) {
            return Optional.of(token);
        }
        if (request.getUserData().containsKey(NONE)) {
            return Optional.empty();
        }
        Optional<SmartToken> token = current();
        if (token.isPresent()) {
            request.getUserData().put(TOKEN, token.get());
        } else {
            request.getUserData().put(NONE, Boolean.TRUE);
        }
        return token;
    }

    /** The token of the request this thread is handling, from Spring Security's context. */
    public Optional<SmartToken> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return Optional.of(SmartToken.of(jwt.getToken(), claims));
        }
        return Optional.empty();
    }
}
