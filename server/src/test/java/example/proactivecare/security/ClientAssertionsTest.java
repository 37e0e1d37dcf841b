package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import example.proactivecare.support.TestAuthorization;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/** The checks on a backend-services client's signed assertion, without a server. */
class ClientAssertionsTest {

    private static final String ISSUER = "https://fhir.example";
    private static final String TOKEN_ENDPOINT = ISSUER + "/oauth2/token";

    private RSAKey key;
    private JwtDecoder decoder;

    @BeforeEach
    void client() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        AuthorizationServerProperties.Client client = new AuthorizationServerProperties.Client(
                "ics-tool",
                null,
                null,
                new JWKSet(key.toPublicJWK()).toString(),
                null,
                List.of("client_credentials"),
                List.of(),
                List.of("system/*.rs"),
                false,
                null);
        RegisteredClient registered = AuthorizationServerConfig.registered(
                client, new AuthorizationServerProperties(null, null, null, List.of(client), List.of()));
        decoder = new ClientAssertions.DecoderFactory(Map.of("ics-tool", client), Clock.systemUTC())
                .createDecoder(registered);
        AuthorizationServerSettings settings =
                AuthorizationServerSettings.builder().build();
        AuthorizationServerContextHolder.setContext(new AuthorizationServerContext() {
            @Override
            public String getIssuer() {
                return ISSUER;
            }

            @Override
            public AuthorizationServerSettings getAuthorizationServerSettings() {
                return settings;
            }
        });
    }

    private String assertion(String audience, String jti, Instant expires) {
        return TestAuthorization.clientAssertion("ics-tool", audience, jti, expires, key);
    }

    @Test
    void aFreshAssertionForTheTokenEndpointIsAccepted() {
        assertThat(decoder.decode(assertion(TOKEN_ENDPOINT, "a", Instant.now().plusSeconds(120)))
                        .getSubject())
                .isEqualTo("ics-tool");
    }

    @Test
    void anAssertionLivingLongerThanFiveMinutesIsRefused() {
        assertThatThrownBy(() -> decoder.decode(
                        assertion(TOKEN_ENDPOINT, "b", Instant.now().plusSeconds(3_600))))
                .isInstanceOf(JwtException.class)
                .hasMessageContaining("five minutes");
    }

    @Test
    void aJtiIsAcceptedOnce() {
        String jti = UUID.randomUUID().toString();
        decoder.decode(assertion(TOKEN_ENDPOINT, jti, Instant.now().plusSeconds(60)));

        assertThatThrownBy(() -> decoder.decode(
                        assertion(TOKEN_ENDPOINT, jti, Instant.now().plusSeconds(90))))
                .isInstanceOf(JwtException.class)
                .hasMessageContaining("jti");
    }

    @Test
    void anExpiredAssertionIsRefused() {
        assertThatThrownBy(() -> decoder.decode(
                        assertion(TOKEN_ENDPOINT, "c", Instant.now().minusSeconds(5))))
                .isInstanceOf(JwtException.class);
    }

    @Test
    void anAssertionForAnotherAudienceIsRefused() {
        assertThatThrownBy(() -> decoder.decode(assertion(
                        "https://elsewhere.example/token", "d", Instant.now().plusSeconds(60))))
                .isInstanceOf(JwtException.class);
    }
}
