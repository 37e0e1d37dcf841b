package example.proactivecare.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SMART on the authorization endpoint, for a logged-in user, before the authorization server answers:
 *
 * <ul>
 *   <li>{@code aud} must be this server's FHIR base URL when resource scopes are asked for (SMART App Launch 2: the
 *       server must not issue tokens for another server's data);
 *   <li>with {@code launch/patient}, the user first picks a patient ({@link PatientPickerController}); the choice
 *       travels with their authentication ({@link LaunchContext}) into the authorization code and so into the token;
 *   <li>without it, no earlier choice is carried over.
 * </ul>
 */
final class LaunchPatientFilter extends OncePerRequestFilter {

    static final String LAUNCH_PATIENT = "launch/patient";
    static final String SELECTION = LaunchPatientFilter.class.getName() + ".selection";

    /** A patient picked for one authorization request (by client and state). */
    record Selection(String request, String patient) implements Serializable {}

    private final String authorizationEndpoint;
    private final Function<String, String> fhirBase;
    private final AuthorizationServerProperties properties;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    LaunchPatientFilter(
            AuthorizationServerSettings settings,
            AuthorizationServerProperties properties,
            Function<String, String> fhirBase) {
        this.authorizationEndpoint = settings.getAuthorizationEndpoint();
        this.properties = properties;
        this.fhirBase = fhirBase;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod())
                || !authorizationEndpoint.equals(request.getRequestURI()
                        .substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
            chain.doFilter(request, response); // the user logs in first, and comes back here
            return;
        }
        List<String> scopes = request.getParameter("scope") == null
                ? List.of()
                : Arrays.asList(request.getParameter("scope").trim().split("\\s+"));
        if (scopes.stream().anyMatch(scope -> SmartScope.parse(scope).isPresent())) {
            String expected = fhirBase.apply(Issuers.of(request, properties));
            String aud = request.getParameter("aud");
            if (aud == null || !Issuers.stripSlash(aud).equals(expected)) {
                response.sendError(
                        HttpServletResponse.SC_BAD_REQUEST,
                        "aud must be this server's FHIR base URL, " + expected + " (was " + aud + ")");
                return;
            }
        }
        String key = request.getParameter("client_id") + " " + request.getParameter("state");
        if (scopes.contains(LAUNCH_PATIENT)) {
            HttpSession session = request.getSession();
            if (session.getAttribute(SELECTION) instanceof Selection selection
                    && selection.request().equals(key)) {
                session.removeAttribute(SELECTION);
                replace(user, new LaunchContext(selection.patient()), request, response);
            } else {
                String back = request.getRequestURI() + "?" + request.getQueryString();
                response.sendRedirect(request.getContextPath() + AuthorizationServerConfig.PATIENT_PICKER + "?request="
                        + URLEncoder.encode(back, StandardCharsets.UTF_8) + "&key="
                        + URLEncoder.encode(key, StandardCharsets.UTF_8));
                return;
            }
        } else if (user.getDetails() instanceof LaunchContext) {
            replace(user, null, request, response);
        }
        chain.doFilter(request, response);
    }

    private void replace(
            Authentication user, LaunchContext launch, HttpServletRequest request, HttpServletResponse response) {
        UsernamePasswordAuthenticationToken replaced =
                UsernamePasswordAuthenticationToken.authenticated(user.getPrincipal(), null, user.getAuthorities());
        replaced.setDetails(launch);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(replaced);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
    }
}
