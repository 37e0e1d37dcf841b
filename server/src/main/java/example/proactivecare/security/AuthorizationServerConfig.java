package example.proactivecare.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import example.proactivecare.fhir.FhirServerConfig;
import example.proactivecare.fhir.FhirServerProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The embedded SMART authorization server: Spring Authorization Server 1.4 in this application, on when security is
 * on and no external issuer is configured.
 *
 * <ul>
 *   <li>authorization code with PKCE (S256) for SMART apps, with {@code openid fhirUser} (an ID token naming the
 *       user's Practitioner) and a standalone {@code launch/patient}: after logging in, the user picks a patient
 *       from those registered at their practices, and the token response names it ({@code patient});
 *   <li>backend services: {@code client_credentials} authenticated by a JWT the client signs with its own key
 *       (RS384 or ES384), checked against the JWK set registered for it;
 *   <li>token introspection ({@code /oauth2/introspect}), revocation, JWKS and OpenID discovery.
 * </ul>
 *
 * Clients and users come from configuration ({@link AuthorizationServerProperties}) and nowhere else.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(AuthorizationServerConfig.EMBEDDED)
public class AuthorizationServerConfig {

    /** Security on, and no external issuer configured. */
    static final String EMBEDDED =
            "${proactivecare.security.enabled:true} and '${proactivecare.security.issuer-uri:}' == ''"
                    + " and '${proactivecare.security.jwk-set-uri:}' == ''";

    public static final String PATIENT_PICKER = "/smart/launch/patient";

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServerConfig.class);

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(
            HttpSecurity http,
            AuthorizationServerProperties properties,
            SecurityProperties security,
            FhirServerProperties fhir,
            AuthorizationServerSettings settings)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        ClientAssertions.DecoderFactory assertionDecoders =
                new ClientAssertions.DecoderFactory(clientsById(properties), Clock.systemUTC());
        OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse =
                new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        tokenResponse.setAccessTokenResponseCustomizer(context -> {
            OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
            String patient = claim(issued.getAccessToken().getTokenValue(), "patient");
            if (patient != null) {
                Map<String, Object> parameters = new LinkedHashMap<>(issued.getAdditionalParameters());
                parameters.put("patient", patient);
                context.getAccessTokenResponse().additionalParameters(parameters);
            }
        });
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, configurer -> configurer
                        .oidc(Customizer.withDefaults())
                        .clientAuthentication(clients -> clients.authenticationConverter(
                                        new ClientAssertions.ClientIdFromAssertion())
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                                        assertions.setJwtDecoderFactory(assertionDecoders);
                                    }
                                })))
                        .authorizationEndpoint(authorization ->
                                authorization.authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider
                                            instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                        codes.setAuthenticationValidator(RequestedScopes.authorizationRequests());
                                    }
                                })))
                        .tokenEndpoint(token -> token.accessTokenResponseHandler(tokenResponse)
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider credentials) {
                                        credentials.setAuthenticationValidator(RequestedScopes.clientCredentials());
                                    }
                                }))))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .addFilterBefore(
                        new LaunchPatientFilter(settings, properties, fhirBase(properties, fhir)),
                        AbstractPreAuthenticatedProcessingFilter.class)
                .oauth2ResourceServer(resource -> resource.jwt(Customizer.withDefaults()))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                .cors(cors -> cors.configurationSource(ResourceServerConfig.cors(security)));
        return http.build();
    }

    /** The login page (Spring Security's own form), the launch patient picker, and everything else that is not FHIR. */
    @Bean
    @Order(3)
    SecurityFilterChain loginPages(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/login",
                                "/error",
                                "/favicon.ico",
                                "/actuator/health/**",
                                "/actuator/health",
                                "/actuator/info")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AuthorizationServerProperties properties) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (properties.issuer() != null) {
            settings.issuer(Issuers.stripSlash(properties.issuer()));
        }
        return settings.build();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(AuthorizationServerProperties properties) {
        Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();
        for (AuthorizationServerProperties.Client client : properties.clients()) {
            clients.put(client.clientId(), registered(client, properties));
        }
        LOG.info(
                "Authorization server: {} client(s), {} user(s) configured",
                clients.size(),
                properties.users().size());
        return new RegisteredClientRepository() {
            /** Only the server itself saves: a secret given as {@code {noop}...} is kept re-encoded after first use. */
            @Override
            public void save(RegisteredClient registeredClient) {
                if (!clients.containsKey(registeredClient.getId())) {
                    throw new UnsupportedOperationException("clients come from configuration only");
                }
                clients.put(registeredClient.getId(), registeredClient);
            }

            @Override
            public RegisteredClient findById(String id) {
                return clients.get(id);
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                return clients.get(clientId);
            }
        };
    }

    static RegisteredClient registered(
            AuthorizationServerProperties.Client client, AuthorizationServerProperties properties) {
        RegisteredClient.Builder builder = RegisteredClient.withId(client.clientId())
                .clientId(client.clientId())
                .clientName(client.name() == null ? client.clientId() : client.name());
        if (client.asymmetric()) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        } else if (client.clientSecret() != null) {
            builder.clientSecret(client.clientSecret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        } else {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        }
        List<String> grants = client.grantTypes().isEmpty()
                ? List.of(client.asymmetric() ? "client_credentials" : "authorization_code")
                : client.grantTypes();
        grants.forEach(grant -> builder.authorizationGrantType(new AuthorizationGrantType(grant)));
        client.redirectUris().forEach(builder::redirectUri);
        client.scopes().forEach(builder::scope);
        ClientSettings.Builder settings = ClientSettings.builder()
                .requireProofKey(grants.contains("authorization_code"))
                .requireAuthorizationConsent(client.requireConsent());
        if (client.asymmetric()) {
            settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384);
            if (client.jwksUri() != null) {
                settings.jwkSetUrl(client.jwksUri());
            }
        }
        builder.clientSettings(settings.build());
        builder.tokenSettings(TokenSettings.builder()
                .accessTokenTimeToLive(
                        client.accessTokenLifetime() != null
                                ? client.accessTokenLifetime()
                                : properties.accessTokenLifetime())
                .build());
        return builder.build();
    }

    private static Map<String, AuthorizationServerProperties.Client> clientsById(
            AuthorizationServerProperties properties) {
        Map<String, AuthorizationServerProperties.Client> clients = new HashMap<>();
        properties.clients().forEach(client -> clients.put(client.clientId(), client));
        return clients;
    }

    /** The keys that sign tokens: from {@code key-file}, or made now (tokens then die with the server). */
    @Bean
    JWKSource<SecurityContext> tokenSigningKeys(AuthorizationServerProperties properties) throws Exception {
        JWKSet keys;
        if (properties.keyFile() != null) {
            try {
                keys = JWKSet.load(Path.of(properties.keyFile()).toFile());
            } catch (IOException | ParseException e) {
                throw new IllegalStateException(
                        "proactivecare.security.authorization-server.key-file " + properties.keyFile()
                                + " is not a readable JWK set: " + e.getMessage(),
                        e);
            }
        } else {
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
            keys = new JWKSet(key);
            LOG.info("Authorization server: signing tokens with a key made at start-up (set "
                    + "proactivecare.security.authorization-server.key-file for tokens that outlive a restart)");
        }
        return new ImmutableJWKSet<>(keys);
    }

    @Bean
    OAuth2AuthorizationService authorizationService() {
        return new InMemoryOAuth2AuthorizationService();
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService() {
        return new InMemoryOAuth2AuthorizationConsentService();
    }

    @Bean
    UserDetailsService users(AuthorizationServerProperties properties) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (AuthorizationServerProperties.User user : properties.users()) {
            users.createUser(User.withUsername(user.username())
                    .password(user.password())
                    .roles("USER")
                    .build());
        }
        return users;
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> smartTokenCustomizer(
            AuthorizationServerProperties properties, FhirServerProperties fhir) {
        Map<String, AuthorizationServerProperties.User> users = new HashMap<>();
        properties.users().forEach(user -> users.put(user.username(), user));
        return new SmartTokenCustomizer(users, fhirBase(properties, fhir));
    }

    /** This server's FHIR base URL, for an issuer URL: the configured server address, or the issuer's {@code /fhir}. */
    static Function<String, String> fhirBase(AuthorizationServerProperties properties, FhirServerProperties fhir) {
        return issuer -> fhir.serverAddress().isBlank()
                ? Issuers.stripSlash(issuer) + FhirServerConfig.FHIR_PATH
                : Issuers.stripSlash(fhir.serverAddress());
    }

    /** A claim of a token this server has just signed (so not checked again). */
    static String claim(String token, String name) {
        try {
            Object value = SignedJWT.parse(token).getJWTClaimsSet().getClaim(name);
            return value == null ? null : value.toString();
        } catch (ParseException e) {
            return null;
        }
    }
}
