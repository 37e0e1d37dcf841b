package example.proactivecare.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What SMART App Launch 2 discovery says about this server ({@code [base]/.well-known/smart-configuration}, and the
 * CapabilityStatement's {@code oauth-uris}): the embedded authorization server's endpoints, or those the external
 * issuer publishes in its OpenID configuration.
 */
final class SmartDiscovery {

    static final List<String> CAPABILITIES = List.of(
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "client-confidential-asymmetric",
            "context-standalone-patient",
            "sso-openid-connect",
            "permission-patient",
            "permission-user",
            "permission-v1",
            "permission-v2");

    static final List<String> SCOPES = List.of(
            "openid",
            "fhirUser",
            "launch/patient",
            "patient/*.rs",
            "patient/*.read",
            "user/*.rs",
            "user/*.cruds",
            "user/*.read",
            "user/*.write",
            "system/*.rs",
            "system/*.cruds",
            "system/*.read",
            "system/Group.c",
            "system/MeasureReport.c",
            "system/AuditEvent.rs");

    private final SecurityProperties security;
    private final AuthorizationServerProperties authorizationServer;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<JsonNode> externalConfiguration = new AtomicReference<>();

    SmartDiscovery(SecurityProperties security, AuthorizationServerProperties authorizationServer) {
        this.security = security;
        this.authorizationServer = authorizationServer;
    }

    /** The {@code smart-configuration} document, for a request that came in at {@code request}'s address. */
    Map<String, Object> configuration(HttpServletRequest request) throws IOException {
        Map<String, Object> configuration = new LinkedHashMap<>();
        Endpoints endpoints = endpoints(request);
        configuration.put("issuer", endpoints.issuer());
        configuration.put("jwks_uri", endpoints.jwks());
        configuration.put("authorization_endpoint", endpoints.authorize());
        configuration.put("token_endpoint", endpoints.token());
        configuration.put("introspection_endpoint", endpoints.introspect());
        configuration.put("revocation_endpoint", endpoints.revoke());
        configuration.put("userinfo_endpoint", endpoints.userinfo());
        configuration.put(
                "grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
        configuration.put(
                "token_endpoint_auth_methods_supported",
                List.of("private_key_jwt", "client_secret_basic", "client_secret_post", "none"));
        configuration.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        configuration.put("scopes_supported", SCOPES);
        configuration.put("response_types_supported", List.of("code"));
        configuration.put("code_challenge_methods_supported", List.of("S256"));
        configuration.put("capabilities", CAPABILITIES);
        configuration.values().removeIf(value -> value == null);
        return configuration;
    }

    /** The authorization server's endpoints. */
    record Endpoints(
            String issuer,
            String jwks,
            String authorize,
            String token,
            String introspect,
            String revoke,
            String userinfo) {}

    Endpoints endpoints(HttpServletRequest request) throws IOException {
        if (security.embeddedAuthorizationServer()) {
            String issuer = Issuers.of(request, authorizationServer);
            return new Endpoints(
                    issuer,
                    issuer + "/oauth2/jwks",
                    issuer + "/oauth2/authorize",
                    issuer + "/oauth2/token",
                    issuer + "/oauth2/introspect",
                    issuer + "/oauth2/revoke",
                    issuer + "/userinfo");
        }
        JsonNode openid = externalOpenIdConfiguration();
        return new Endpoints(
                text(openid, "issuer"),
                text(openid, "jwks_uri"),
                text(openid, "authorization_endpoint"),
                text(openid, "token_endpoint"),
                text(openid, "introspection_endpoint"),
                text(openid, "revocation_endpoint"),
                text(openid, "userinfo_endpoint"));
    }

    private JsonNode externalOpenIdConfiguration() throws IOException {
        JsonNode cached = externalConfiguration.get();
        if (cached != null) {
            return cached;
        }
        if (security.issuerUri() == null) {
            // only a JWKS is configured: the issuer's other endpoints are not known to this server
            JsonNode known = json.createObjectNode().put("jwks_uri", security.jwkSetUri());
            externalConfiguration.set(known);
            return known;
        }
        URI discovery = URI.create(Issuers.stripSlash(security.issuerUri()) + "/.well-known/openid-configuration");
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(discovery)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(discovery + " answered " + response.statusCode());
            }
            JsonNode read = json.readTree(response.body());
            externalConfiguration.set(read);
            return read;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + discovery, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
