package example.proactivecare.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * SMART backend services: a client authenticates at the token endpoint with a JWT it signed with its own private key
 * ({@code private_key_jwt}, RS384 or ES384), checked against the public keys registered for it: a JWK set given in
 * configuration, or one it publishes at its {@code jwks_uri}.
 *
 * <p>On top of Spring Authorization Server's checks ({@code iss} and {@code sub} are the client, {@code aud} is this
 * server's token endpoint or issuer, {@code exp} is there and not passed), SMART's: the assertion lives at most five
 * minutes and its {@code jti} is never used twice.
 */
final class ClientAssertions {

    static final Set<JWSAlgorithm> SMART_ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private ClientAssertions() {}

    /**
     * Finds the client of a client assertion sent without {@code client_id}, as SMART backend services send it: the
     * client is the assertion's {@code iss} (the signature is checked later, against that client's keys).
     */
    static final class ClientIdFromAssertion implements AuthenticationConverter {

        private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

        @Override
        public Authentication convert(HttpServletRequest request) {
            if (!"POST".equals(request.getMethod())
                    || request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null
                    || !JWT_BEARER.equals(request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE))) {
                return null;
            }
            String[] assertions = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
            if (assertions == null || assertions.length != 1) {
                throw invalidClient("exactly one client_assertion is required");
            }
            String issuer;
            try {
                issuer = SignedJWT.parse(assertions[0]).getJWTClaimsSet().getIssuer();
            } catch (ParseException e) {
                throw invalidClient("client_assertion is not a signed JWT");
            }
            if (issuer == null || issuer.isBlank()) {
                throw invalidClient("client_assertion has no iss");
            }
            Map<String, Object> additional = new java.util.HashMap<>();
            request.getParameterMap().forEach((name, values) -> {
                if (!name.equals(OAuth2ParameterNames.CLIENT_ASSERTION)
                        && !name.equals(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE)
                        && !name.equals(OAuth2ParameterNames.GRANT_TYPE)
                        && !name.equals(OAuth2ParameterNames.SCOPE)) {
                    additional.put(name, values.length == 1 ? values[0] : values);
                }
            });
            // the method Spring Authorization Server's assertion provider recognises: the assertion type
            return new OAuth2ClientAuthenticationToken(
                    issuer, new ClientAuthenticationMethod(JWT_BEARER), assertions[0], additional);
        }
    }

    /** Decoders of client assertions, one per client, from its registered JWK set or its {@code jwks_uri}. */
    static final class DecoderFactory implements JwtDecoderFactory<RegisteredClient> {

        private final Map<String, AuthorizationServerProperties.Client> clients;
        private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
        private final ReplayCache replays;
        private final Clock clock;

        DecoderFactory(Map<String, AuthorizationServerProperties.Client> clients, Clock clock) {
            this.clients = Map.copyOf(clients);
            this.clock = clock;
            this.replays = new ReplayCache(clock);
        }

        @Override
        public JwtDecoder createDecoder(RegisteredClient registeredClient) {
            return decoders.computeIfAbsent(registeredClient.getClientId(), id -> build(registeredClient));
        }

        private JwtDecoder build(RegisteredClient registeredClient) {
            AuthorizationServerProperties.Client client = clients.get(registeredClient.getClientId());
            if (client == null || !client.asymmetric()) {
                throw invalidClient("client " + registeredClient.getClientId() + " has no registered public keys");
            }
            JWKSource<SecurityContext> keys;
            try {
                keys = client.jwks() != null
                        ? new ImmutableJWKSet<>(JWKSet.parse(client.jwks()))
                        : JWKSourceBuilder.create(URI.create(client.jwksUri()).toURL())
                                .build();
            } catch (ParseException | MalformedURLException | IllegalArgumentException e) {
                throw invalidClient(
                        "the public keys of client " + client.clientId() + " cannot be read: " + e.getMessage());
            }
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(SMART_ALGORITHMS, keys));
            processor.setJWTClaimsSetVerifier((claims, context) -> {}); // Spring's validators below check the claims
            NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                    JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(registeredClient),
                    new JwtTimestampValidator(Duration.ZERO),
                    this::shortLived,
                    replays));
            return decoder;
        }

        /** SMART: the assertion's {@code exp} is no more than five minutes in the future. */
        private OAuth2TokenValidatorResult shortLived(Jwt assertion) {
            Instant latest = clock.instant().plus(MAX_LIFETIME).plusSeconds(10);
            if (assertion.getExpiresAt() != null && assertion.getExpiresAt().isAfter(latest)) {
                return OAuth2TokenValidatorResult.failure(new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_CLIENT,
                        "client_assertion expires more than five minutes from now",
                        null));
            }
            return OAuth2TokenValidatorResult.success();
        }
    }

    /** Remembers each assertion's {@code jti} until it expires, and refuses it a second time. */
    static final class ReplayCache implements OAuth2TokenValidator<Jwt> {

        private final Map<String, Instant> seen = new ConcurrentHashMap<>();
        private final Clock clock;

        ReplayCache(Clock clock) {
            this.clock = clock;
        }

        @Override
        public OAuth2TokenValidatorResult validate(Jwt assertion) {
            Instant now = clock.instant();
            seen.values().removeIf(expiry -> expiry.isBefore(now));
            String jti = assertion.getId();
            if (jti == null || jti.isBlank()) {
                return OAuth2TokenValidatorResult.failure(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion has no jti", null));
            }
            String key = assertion.getClaimAsString("iss") + " " + jti;
            Instant expiry = assertion.getExpiresAt() != null ? assertion.getExpiresAt() : now.plus(MAX_LIFETIME);
            if (seen.putIfAbsent(key, expiry) != null) {
                return OAuth2TokenValidatorResult.failure(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion jti was used before", null));
            }
            return OAuth2TokenValidatorResult.success();
        }
    }

    static OAuth2AuthenticationException invalidClient(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, null));
    }
}
