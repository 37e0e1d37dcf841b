package example.proactivecare.projection;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.async.AsyncResponder;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.fhir.FhirServerCustomizer;
import example.proactivecare.projection.view.ViewDefinitionEngine;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.ConceptMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;

/** The analytic projection: SQL-on-FHIR views of the stored resources, kept in the project's own schema. */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfig {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionConfig.class);

    @Bean
    ViewDefinitionEngine viewDefinitionEngine(FhirContext fhirContext, IValidationSupport validationSupport) {
        return new ViewDefinitionEngine(fhirContext, validationSupport);
    }

    @Bean
    EncounterClassifier encounterClassifier(ConformanceContent content) {
        return new EncounterClassifier(content.resources(ConceptMap.class));
    }

    @Bean
    @DependsOnDatabaseInitialization
    ProjectionWriter projectionWriter(
            DataSource dataSource, ViewDefinitionEngine engine, EncounterClassifier classifier) {
        return new ProjectionWriter(new JdbcTemplate(dataSource), ProjectionViews.tables(engine, classifier));
    }

    /**
     * Rows are written with every stored resource, unless {@code proactivecare.projection.enabled=false} (for
     * measuring what the projection costs; the tables are then stale until {@code $rebuild-views}).
     */
    @Bean
    ProjectionInterceptor projectionInterceptor(
            ProjectionWriter writer,
            IInterceptorService interceptors,
            @Value("${proactivecare.projection.enabled:true}") boolean enabled) {
        ProjectionInterceptor interceptor = new ProjectionInterceptor(writer);
        if (enabled) {
            interceptors.registerInterceptor(interceptor);
        } else {
            LOG.warn("The analytic projection is OFF (proactivecare.projection.enabled=false): stored resources get no"
                    + " rows until POST /fhir/$rebuild-views");
        }
        return interceptor;
    }

    @Bean
    FhirServerCustomizer rebuildViewsOperation(ProjectionRebuilder rebuilder, AsyncResponder responder) {
        return server -> server.registerProvider(new RebuildViewsProvider(rebuilder, responder));
    }

    @Bean
    ProjectionRebuilder projectionRebuilder(
            DaoRegistry daoRegistry,
            ProjectionWriter writer,
            PlatformTransactionManager transactions,
            EntityManagerFactory entityManagerFactory) {
        return new ProjectionRebuilder(
                daoRegistry,
                writer,
                transactions,
                SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory));
    }
}
