package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Another OpenID Connect issuer (Keycloak, NHS CIS2...) by configuration alone: with {@code issuer-uri} set, tokens are
 * checked against that issuer's JWKS, found by its OpenID discovery, and SMART's facts are read from the claims it
 * uses. The issuer here is a small HTTP server publishing a discovery document and a JWK set.
 */
class ExternalIssuerTest {

    private HttpServer issuerServer;
    private String issuer;
    private RSAKey key;

    @BeforeEach
    void issuer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("external-1").generate();
        issuerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort() + "/realms/nhs";
        serve(
                "/realms/nhs/.well-known/openid-configuration",
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer
                        + "/certs\",\"authorization_endpoint\":\"" + issuer + "/auth\",\"token_endpoint\":\"" + issuer
                        + "/token\",\"introspection_endpoint\":\"" + issuer + "/introspect\"}");
        serve("/realms/nhs/certs", new JWKSet(key.toPublicJWK()).toString());
        issuerServer.start();
    }

    @AfterEach
    void stop() {
        issuerServer.stop(0);
    }

    private void serve(String path, String json) {
        issuerServer.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private SecurityProperties properties() {
        // this issuer names the user's FHIR resource "fhir_user" and lists scopes as "scp"
        return new SecurityProperties(
                true,
                issuer,
                null,
                null,
                Duration.ofSeconds(30),
                new SecurityProperties.Claims("scp", null, "fhir_user", "azp"),
                null);
    }

    private JwtDecoder decoder(SecurityProperties properties) {
        return new ResourceServerConfig()
                .jwtDecoder(
                        properties,
                        new AuthorizationServerProperties(null, null, null, null, null),
                        new DefaultListableBeanFactory()
                                .<JWKSource<SecurityContext>>getBeanProvider(
                                        ResolvableType.forClassWithGenerics(JWKSource.class, SecurityContext.class)));
    }

    private String token(String iss, RSAKey signer, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(signer.getKeyID())
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(iss)
                        .subject("f:realm:care-coordinator-7")
                        .claim("azp", "coordinator-app")
                        .claim("scp", List.of("openid", "user/*.rs", "user/Group.c"))
                        .claim("fhir_user", "https://fhir.example/fhir/Practitioner/7")
                        .issueTime(new Date())
                        .expirationTime(Date.from(expires))
                        .build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    @Test
    void aTokenOfTheConfiguredIssuerIsAcceptedAndReadWithItsClaimNames() throws Exception {
        SecurityProperties properties = properties();
        assertThat(properties.embeddedAuthorizationServer()).isFalse();

        Jwt jwt = decoder(properties).decode(token(issuer, key, Instant.now().plusSeconds(300)));
        SmartToken token = SmartToken.of(jwt, properties.claims());

        assertThat(token.clientId()).isEqualTo("coordinator-app");
        assertThat(token.fhirUser()).isEqualTo("Practitioner/7");
        assertThat(token.resourceScopes())
                .extracting(SmartScope::toString)
                .containsExactly("user/*.rs", "user/Group.c");
        assertThat(token.grants(SmartScope.Context.USER, "Encounter", SmartScope.Permission.SEARCH))
                .isTrue();
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        String other =
                token("https://elsewhere.example/realms/nhs", key, Instant.now().plusSeconds(300));

        assertThatThrownBy(() -> decoder(properties()).decode(other)).isInstanceOf(JwtException.class);
    }

    @Test
    void aTokenSignedByAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("external-1").generate();
        String forged = token(issuer, stranger, Instant.now().plusSeconds(300));

        assertThatThrownBy(() -> decoder(properties()).decode(forged)).isInstanceOf(JwtException.class);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String expired = token(issuer, key, Instant.now().minusSeconds(120));

        assertThatThrownBy(() -> decoder(properties()).decode(expired)).isInstanceOf(JwtException.class);
    }

    @Test
    void smartDiscoveryNamesTheIssuersEndpoints() throws Exception {
        SmartDiscovery discovery =
                new SmartDiscovery(properties(), new AuthorizationServerProperties(null, null, null, null, null));

        Map<String, Object> configuration = discovery.configuration(new MockHttpServletRequest());

        assertThat(configuration)
                .containsEntry("issuer", issuer)
                .containsEntry("jwks_uri", issuer + "/certs")
                .containsEntry("token_endpoint", issuer + "/token")
                .containsEntry("authorization_endpoint", issuer + "/auth")
                .containsEntry("introspection_endpoint", issuer + "/introspect");
    }
}
