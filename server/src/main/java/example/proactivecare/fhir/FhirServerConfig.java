package example.proactivecare.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's RestfulServer with the JPA resource providers, paging and OpenAPI
 * documentation.
 *
 * <p>Features register their own {@code @Operation} providers and interceptors as beans implementing {@link
 * FhirServerCustomizer}.
 */
@Configuration(proxyBeanMethods = false)
public class FhirServerConfig {

    public static final String FHIR_PATH = "/fhir";

    @Bean
    public FhirRestfulServerFactory fhirRestfulServerFactory(
            FhirContext fhirContext,
            FhirServerProperties properties,
            IFhirSystemDao<?, ?> systemDao,
            IJpaSystemProvider systemProvider,
            ResourceProviderFactory resourceProviders,
            ValueSetOperationProvider valueSetOperations,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            DaoRegistry daoRegistry,
            ObjectProvider<FhirServerCustomizer> customizers) {
        // The parser rejects what the base spec forbids (unknown elements, bad enumeration codes).
        fhirContext.setParserErrorHandler(new StrictErrorHandler());
        fhirContext.setNarrativeGenerator(new NullNarrativeGenerator());
        return () -> {
            RestfulServer server = new RestfulServer(fhirContext);
            server.registerProviders(resourceProviders.createProviders());
            server.registerProvider(systemProvider);
            server.registerProvider(valueSetOperations);

            CapabilityStatementProvider capabilityStatement = new CapabilityStatementProvider(
                    server,
                    systemDao,
                    storageSettings,
                    searchParamRegistry,
                    validationSupport,
                    daoRegistry.getResourceDao(OperationDefinition.class));
            capabilityStatement.setImplementationDescription("Proactive Care FHIR Server");
            server.setServerConformanceProvider(capabilityStatement);

            pagingProvider.setDefaultPageSize(properties.defaultPageSize());
            pagingProvider.setMaximumPageSize(properties.maxPageSize());
            server.setPagingProvider(pagingProvider);
            server.setDefaultResponseEncoding(EncodingEnum.JSON);
            // compact JSON for the GP systems and tools that read it; people add _pretty=true (browsers get HTML)
            server.setDefaultPrettyPrint(false);
            server.setServerAddressStrategy(
                    properties.serverAddress().isBlank()
                            ? new IncomingRequestAddressStrategy()
                            : new HardcodedServerAddressStrategy(properties.serverAddress()));

            server.registerInterceptor(new ResponseHighlighterInterceptor());
            server.registerInterceptor(new OpenApiInterceptor());
            server.registerInterceptor(new UnparseableParameterInterceptor());
            customizers.orderedStream().forEach(customizer -> customizer.customize(server));
            return server;
        };
    }

    @Bean
    public ServletRegistrationBean<FhirServlet> fhirServletRegistration(
            ObjectProvider<FhirRestfulServerFactory> serverFactory) {
        FhirServlet servlet = new FhirServlet(() -> serverFactory.getObject().create());
        ServletRegistrationBean<FhirServlet> registration = new ServletRegistrationBean<>(servlet, FHIR_PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
