package example.proactivecare.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Another OpenID Connect issuer (as Keycloak or NHS CIS2 would be), for the tests of a server configured with its
 * {@code issuer-uri}: a small HTTP server on a free port that publishes only a discovery document and the JWK set of
 * one RSA key, at {@code http://127.0.0.1:<port>/realms/<realm>}. Tests sign its tokens with {@link #sign}.
 */
public final class TestIssuer implements AutoCloseable {

    private final HttpServer server;
    private final String issuer;
    private final RSAKey key;

    private TestIssuer(HttpServer server, String issuer, RSAKey key) {
        this.server = server;
        this.issuer = issuer;
        this.key = key;
    }

    /** Starts an issuer for {@code realm} whose key has the id {@code keyId}. */
    public static TestIssuer start(String realm, String keyId) {
        try {
            RSAKey key = newKey(keyId);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String path = "/realms/" + realm;
            String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + path;
            serve(
                    server,
                    path + "/.well-known/openid-configuration",
                    "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\",\"authorization_endpoint\":\""
                            + issuer + "/auth\",\"token_endpoint\":\"" + issuer + "/token\","
                            + "\"introspection_endpoint\":\"" + issuer + "/introspect\"}");
            serve(server, path + "/certs", new JWKSet(key.toPublicJWK()).toString());
            server.start();
            return new TestIssuer(server, issuer, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new 2048-bit RSA key: the issuer's own, or a stranger's with the same id. */
    public static RSAKey newKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} as a JWT signed (RS256) with {@code signer}, named in the header by its key id. */
    public static String sign(RSAKey signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(signer.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer identifier, its {@code iss}. */
    public String issuer() {
        return issuer;
    }

    /** The key it publishes and signs with. */
    public RSAKey key() {
        return key;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void serve(HttpServer server, String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }
}
