package example.proactivecare.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The test clients and users of the embedded authorization server, registered through configuration as any deployment
 * registers its own, and the means to get real tokens from it.
 *
 * <ul>
 *   <li>{@value #BACKEND}: a SMART backend-services client with an RSA key (RS384), registered with its JWK set; the
 *       HTTP tests' default token comes from it ({@value #DEFAULT_SCOPES});
 *   <li>{@value #BACKEND_EC}: the same with an EC key (ES384);
 *   <li>{@value #SHORT_LIVED}: a backend client whose tokens live one second;
 *   <li>{@value #SECRET_CLIENT}: a confidential client with a secret ({@code client_secret_basic});
 *   <li>{@value #APP}: a public SMART app (authorization code with PKCE), and the users who log in to it.
 * </ul>
 *
 * The keys are made when the tests start; nothing secret is kept in the repository.
 */
public final class TestAuthorization {

    public static final String BACKEND = "test-backend";
    public static final String BACKEND_EC = "test-backend-ec";
    public static final String SHORT_LIVED = "test-backend-short-lived";
    public static final String APP = "test-smart-app";
    public static final String SECRET_CLIENT = "test-secret-client";
    public static final String SECRET = "test-secret";
    public static final String APP_REDIRECT = "http://127.0.0.1/callback";
    public static final String PASSWORD = "test-password";

    /** The default token of the HTTP tests: everything, as a GP system syncing and an ICS tool querying would do. */
    public static final String DEFAULT_SCOPES = "system/*.cruds";

    /**
     * What the backend clients are registered for: every {@code system/} scope. They ask for what each test needs,
     * such as {@code system/Patient.rs} or {@code system/*.read}, which the registered scope covers.
     */
    public static final List<String> BACKEND_SCOPES = List.of("system/*.cruds");

    /** What the app is registered for; it asks for less, such as {@code patient/Encounter.rs}. */
    public static final List<String> APP_SCOPES =
            List.of("openid", "fhirUser", "launch/patient", "patient/*.cruds", "user/*.cruds");

    /** A user who logs in to the app. */
    public record User(String username, String fhirUser) {}

    /** A GP at one practice of the north PCN. */
    public static final User GP_NORTH = new User("gp-north", "Practitioner/sec-gp-north");
    /** A care coordinator whose role is at the north PCN: both of its practices. */
    public static final User COORDINATOR = new User("pcn-coordinator", "Practitioner/sec-coordinator");
    /** A practitioner with no role anywhere. */
    public static final User NO_ROLE = new User("no-role", "Practitioner/sec-no-role");

    public static final List<User> USERS = List.of(GP_NORTH, COORDINATOR, NO_ROLE);

    private static final RSAKey RSA = generateRsa();
    private static final ECKey EC = generateEc();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestAuthorization() {}

    /** The clients and users as configuration properties ({@code proactivecare.security.authorization-server...}). */
    public static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        String prefix = "proactivecare.security.authorization-server.";
        // a second of clock skew, so that a token that lived one second is refused two seconds later
        properties.put("proactivecare.security.clock-skew", "1s");
        int i = 0;
        i = backend(properties, prefix, i, BACKEND, RSA);
        i = backend(properties, prefix, i, BACKEND_EC, EC);
        properties.put(prefix + "clients[" + i + "].access-token-lifetime", "1s");
        i = backend(properties, prefix, i, SHORT_LIVED, RSA);
        String secret = prefix + "clients[" + i++ + "].";
        properties.put(secret + "client-id", SECRET_CLIENT);
        properties.put(secret + "client-secret", "{noop}" + SECRET);
        properties.put(secret + "grant-types", "client_credentials");
        properties.put(secret + "scopes", "system/Patient.rs");
        String app = prefix + "clients[" + i + "].";
        properties.put(app + "client-id", APP);
        properties.put(app + "name", "Test SMART app");
        properties.put(app + "grant-types", "authorization_code");
        properties.put(app + "redirect-uris", APP_REDIRECT);
        properties.put(app + "scopes", String.join(",", APP_SCOPES));
        for (int u = 0; u < USERS.size(); u++) {
            String user = prefix + "users[" + u + "].";
            properties.put(user + "username", USERS.get(u).username());
            properties.put(user + "password", "{noop}" + PASSWORD);
            properties.put(user + "fhir-user", USERS.get(u).fhirUser());
        }
        return properties;
    }

    private static int backend(Map<String, String> properties, String prefix, int index, String clientId, JWK key) {
        String client = prefix + "clients[" + index + "].";
        properties.put(client + "client-id", clientId);
        properties.put(client + "grant-types", "client_credentials");
        properties.put(client + "jwks", new JWKSet(key.toPublicJWK()).toString());
        properties.put(client + "scopes", String.join(",", BACKEND_SCOPES));
        return index + 1;
    }

    /** The same, as command-line arguments for a server started by hand. */
    public static List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        properties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    /** A backend-services token of {@value #BACKEND} from the server at {@code root} (no {@code /fhir}). */
    public static String systemToken(String root, String scopes) {
        return tokenResponse(root, BACKEND, scopes).get("access_token").asText();
    }

    /** The token endpoint's answer to a client-credentials grant, authenticated by a signed JWT assertion. */
    public static JsonNode tokenResponse(String root, String clientId, String scopes) {
        HttpResponse<String> response = requestToken(root, clientAssertion(root, clientId), scopes);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /** Posts a client-credentials grant with this assertion (SMART backend services: no client_id parameter). */
    public static HttpResponse<String> requestToken(String root, String assertion, String scopes) {
        return post(
                root + "/oauth2/token",
                form(Map.of(
                        "grant_type",
                        "client_credentials",
                        "scope",
                        scopes,
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion",
                        assertion)));
    }

    /** A fresh client assertion for {@code clientId}, signed with its key, for the token endpoint at {@code root}. */
    public static String clientAssertion(String root, String clientId) {
        return clientAssertion(
                clientId,
                root + "/oauth2/token",
                UUID.randomUUID().toString(),
                Instant.now().plusSeconds(240),
                keyOf(clientId));
    }

    public static String clientAssertion(String clientId, String audience, String jti, Instant expires, JWK key) {
        try {
            boolean ec = key instanceof ECKey;
            JWSSigner signer = ec ? new ECDSASigner((ECKey) key) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(ec ? JWSAlgorithm.ES384 : JWSAlgorithm.RS384)
                            .keyID(key.getKeyID())
                            .type(com.nimbusds.jose.JOSEObjectType.JWT)
                            .build(),
                    new JWTClaimsSet.Builder()
                            .issuer(clientId)
                            .subject(clientId)
                            .audience(audience)
                            .jwtID(jti)
                            .expirationTime(Date.from(expires))
                            .build());
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWK keyOf(String clientId) {
        return BACKEND_EC.equals(clientId) ? EC : RSA;
    }

    public static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static HttpResponse<String> post(String url, String form) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RSAKey generateRsa() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-rsa").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc() {
        try {
            return new ECKeyGenerator(Curve.P_384).keyID("test-ec").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
