package example.proactivecare.projection;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.async.AsyncJobs;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.fhir.FhirServerCustomizer;
import example.proactivecare.projection.view.ViewDefinitionEngine;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.ConceptMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;

/** The analytic projection: SQL-on-FHIR views of the stored resources, kept in the project's own schema. */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfig {

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

    @Bean
    ProjectionInterceptor projectionInterceptor(ProjectionWriter writer, IInterceptorService interceptors) {
        ProjectionInterceptor interceptor = new ProjectionInterceptor(writer);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /** {@code --proactivecare.benchmark=ingest}: measure ingest with and without the projection, print, exit. */
    @Bean
    @ConditionalOnProperty(name = "proactivecare.benchmark", havingValue = "ingest")
    IngestBenchmark ingestBenchmark(
            ApplicationContext context, ProjectionInterceptor projection, FhirContext fhirContext) {
        return new IngestBenchmark(context, projection, fhirContext);
    }

    @Bean
    FhirServerCustomizer rebuildViewsOperation(ProjectionRebuilder rebuilder, AsyncJobs jobs, FhirContext fhirContext) {
        return server -> server.registerProvider(new RebuildViewsProvider(rebuilder, jobs, fhirContext));
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
