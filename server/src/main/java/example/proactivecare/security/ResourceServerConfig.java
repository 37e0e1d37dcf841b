package example.proactivecare.security;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The FHIR endpoint ({@code /fhir/**}) and the status URLs of asynchronous requests ({@code /async/**}) as an OAuth 2.0
 * resource server: every request needs a valid bearer token, except the CapabilityStatement, SMART discovery and the
 * API documentation. A missing, expired, tampered or foreign token gets 401 with an OperationOutcome; what a valid
 * token may do is HAPI's authorization's to decide ({@link SmartEnforcementConfig}).
 *
 * <p>Tokens are JWTs. From the embedded authorization server they are checked against its own keys and issuer; with
 * {@code proactivecare.security.issuer-uri} set, against that issuer's JWKS.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "proactivecare.security", name = "enabled", matchIfMissing = true)
public class ResourceServerConfig {

    /** The FHIR endpoint and the asynchronous status URLs, as whole paths (HAPI's servlet is not Spring MVC's). */
    static final RequestMatcher SECURED = new OrRequestMatcher(
            new AntPathRequestMatcher("/fhir"),
            new AntPathRequestMatcher("/fhir/**"),
            new AntPathRequestMatcher("/async/**"));

    /** What anyone may read: the CapabilityStatement, SMART discovery, the API's documentation. */
    static final RequestMatcher OPEN = new OrRequestMatcher(
            new AntPathRequestMatcher("/fhir/metadata"),
            new AntPathRequestMatcher("/fhir/.well-known/**"),
            new AntPathRequestMatcher("/fhir/swagger-ui/**"),
            new AntPathRequestMatcher("/fhir/api-docs/**"),
            new AntPathRequestMatcher("/fhir/**", "OPTIONS"));

    @Bean
    @Order(2)
    SecurityFilterChain fhirResourceServer(
            HttpSecurity http, JwtDecoder jwtDecoder, FhirContext fhirContext, SecurityProperties properties)
            throws Exception {
        AuthenticationEntryPoint unauthorised = unauthorised(fhirContext);
        AccessDeniedHandler forbidden = forbidden(fhirContext);
        http.securityMatcher(SECURED)
                .authorizeHttpRequests(requests ->
                        requests.requestMatchers(OPEN).permitAll().anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint(unauthorised)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(unauthorised).accessDeniedHandler(forbidden))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable())
                .cors(cors -> cors.configurationSource(cors(properties)));
        return http.build();
    }

    /** 401: {@code WWW-Authenticate: Bearer ...} as RFC 6750 says, and an OperationOutcome saying why. */
    static AuthenticationEntryPoint unauthorised(FhirContext fhirContext) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, exception) -> {
            bearer.commence(request, response, exception);
            boolean noToken = request.getHeader("Authorization") == null;
            String diagnostics = noToken
                    ? "Authentication required: send an access token (Authorization: Bearer ...); see "
                            + "/fhir/.well-known/smart-configuration for where to get one"
                    : "The access token is not valid: " + exception.getMessage();
            OperationOutcomes.write(fhirContext, response, 401, OperationOutcome.IssueType.LOGIN, diagnostics);
        };
    }

    static AccessDeniedHandler forbidden(FhirContext fhirContext) {
        BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
        return (request, response, exception) -> {
            bearer.handle(request, response, exception);
            OperationOutcomes.write(
                    fhirContext, response, 403, OperationOutcome.IssueType.FORBIDDEN, exception.getMessage());
        };
    }

    static UrlBasedCorsConfigurationSource cors(SecurityProperties properties) {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOriginPatterns(properties.corsAllowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        configuration.setAllowedHeaders(List.of("*"));
        configuration.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "WWW-Authenticate"));
        configuration.setAllowCredentials(false);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", configuration);
        return source;
    }

    /**
     * The decoder of access tokens: the embedded server's keys and issuer, or the external issuer's.
     *
     * @param signingKeys the embedded server's keys (absent with an external issuer)
     */
    @Bean
    JwtDecoder jwtDecoder(
            SecurityProperties properties,
            AuthorizationServerProperties authorizationServer,
            ObjectProvider<JWKSource<SecurityContext>> signingKeys) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(properties.clockSkew()));
        validators.add(new JwtClaimValidator<Object>("exp", Objects::nonNull));
        if (properties.audience() != null) {
            validators.add(new JwtClaimValidator<List<String>>(
                    "aud", aud -> aud != null && aud.contains(properties.audience())));
        }
        NimbusJwtDecoder decoder;
        if (properties.embeddedAuthorizationServer()) {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, signingKeys.getObject()));
            processor.setJWTClaimsSetVerifier((claims, context) -> {}); // the validators below check the claims
            decoder = new NimbusJwtDecoder(processor);
            validators.add(jwt -> sameIssuer(jwt, Issuers.current(authorizationServer)));
        } else {
            decoder = properties.jwkSetUri() != null
                    ? NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build()
                    : NimbusJwtDecoder.withIssuerLocation(properties.issuerUri())
                            .build();
            if (properties.issuerUri() != null) {
                validators.add(new JwtIssuerValidator(properties.issuerUri()));
            }
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static OAuth2TokenValidatorResult sameIssuer(Jwt jwt, String expected) {
        String issuer = jwt.getClaimAsString("iss");
        if (expected != null && expected.equals(issuer)) {
            return OAuth2TokenValidatorResult.success();
        }
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(
                OAuth2ErrorCodes.INVALID_TOKEN, "The token was issued by " + issuer + ", not by " + expected, null));
    }
}
