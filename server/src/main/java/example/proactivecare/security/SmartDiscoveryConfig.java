package example.proactivecare.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.proactivecare.fhir.FhirServerConfig;
import example.proactivecare.fhir.FhirServerCustomizer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.UriType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * SMART App Launch 2 discovery: {@code [base]/.well-known/smart-configuration}, and the CapabilityStatement's {@code
 * rest.security} (SMART-on-FHIR service, {@code oauth-uris} extension).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "proactivecare.security", name = "enabled", matchIfMissing = true)
public class SmartDiscoveryConfig {

    public static final String SMART_CONFIGURATION = FhirServerConfig.FHIR_PATH + "/.well-known/smart-configuration";
    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    @Bean
    SmartDiscovery smartDiscovery(SecurityProperties security, AuthorizationServerProperties authorizationServer) {
        return new SmartDiscovery(security, authorizationServer);
    }

    /** An exact-path servlet: it wins over HAPI's {@code /fhir/*} mapping for this one URL. */
    @Bean
    ServletRegistrationBean<HttpServlet> smartConfigurationServlet(SmartDiscovery discovery, FhirContext fhirContext) {
        ObjectMapper json = new ObjectMapper();
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                try {
                    byte[] body =
                            json.writerWithDefaultPrettyPrinter().writeValueAsBytes(discovery.configuration(request));
                    response.setStatus(200);
                    response.setContentType("application/json");
                    response.setHeader("Cache-Control", "no-store");
                    response.getOutputStream().write(body);
                } catch (IOException e) {
                    OperationOutcomes.write(
                            fhirContext,
                            response,
                            503,
                            OperationOutcome.IssueType.TRANSIENT,
                            "The authorization server's configuration cannot be read now: " + e.getMessage());
                }
            }
        };
        ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(servlet, SMART_CONFIGURATION);
        registration.setName("smart-configuration");
        return registration;
    }

    @Bean
    FhirServerCustomizer smartCapabilityStatement(SmartDiscovery discovery) {
        return server -> server.registerInterceptor(new CapabilityStatementSecurity(discovery));
    }

    /** Adds SMART's security section to the CapabilityStatement HAPI generates. */
    @Interceptor
    static final class CapabilityStatementSecurity {

        private final SmartDiscovery discovery;

        CapabilityStatementSecurity(SmartDiscovery discovery) {
            this.discovery = discovery;
        }

        @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
        public void addSecurity(IBaseConformance generated, RequestDetails request) throws IOException {
            if (!(generated instanceof CapabilityStatement statement)
                    || !(request instanceof ServletRequestDetails servlet)) {
                return;
            }
            SmartDiscovery.Endpoints endpoints = discovery.endpoints(servlet.getServletRequest());
            for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
                CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
                security.setCors(true);
                security.getService().clear();
                security.addService(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                "SMART-on-FHIR",
                                "SMART-on-FHIR"))
                        .setText("OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)"));
                security.setDescription("SMART App Launch 2: authorization code with PKCE for apps (patient/ and user/"
                        + " scopes, launch/patient, openid fhirUser), backend services (client_credentials with"
                        + " private_key_jwt) for system/ scopes. Discovery: [base]/.well-known/smart-configuration."
                        + " Each operation's required scope is stated in its OperationDefinition.");
                security.getExtension().removeIf(extension -> OAUTH_URIS.equals(extension.getUrl()));
                Extension uris = security.addExtension().setUrl(OAUTH_URIS);
                add(uris, "token", endpoints.token());
                add(uris, "authorize", endpoints.authorize());
                add(uris, "introspect", endpoints.introspect());
                add(uris, "revoke", endpoints.revoke());
            }
        }

        private static void add(Extension uris, String name, String uri) {
            if (uri != null) {
                uris.addExtension(name, new UriType(uri));
            }
        }
    }
}
