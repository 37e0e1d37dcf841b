package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import example.proactivecare.support.TestIssuer;
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
 * uses. The issuer here is a {@link TestIssuer}: a discovery document and a JWK set.
 */
class ExternalIssuerTest {

    private TestIssuer issuerServer;
    private String issuer;
    private RSAKey key;

    @BeforeEach
    void issuer() {
        issuerServer = TestIssuer.start("nhs", "external-1");
        issuer = issuerServer.issuer();
        key = issuerServer.key();
    }

    @AfterEach
    void stop() {
        issuerServer.close();
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

    private String token(String iss, RSAKey signer, Instant expires) {
        return TestIssuer.sign(
                signer,
                new JWTClaimsSet.Builder()
                        .issuer(iss)
                        .subject("f:realm:care-coordinator-7")
                        .claim("azp", "coordinator-app")
                        .claim("scp", List.of("openid", "user/*.rs", "user/Group.c"))
                        .claim("fhir_user", "https://fhir.example/fhir/Practitioner/7")
                        .issueTime(new Date())
                        .expirationTime(Date.from(expires))
                        .build());
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
        RSAKey stranger = TestIssuer.newKey("external-1");
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
