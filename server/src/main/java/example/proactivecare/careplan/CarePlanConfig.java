package example.proactivecare.careplan;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import example.proactivecare.async.AsyncResponder;
import example.proactivecare.cohort.CohortService;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.fhir.FhirServerCustomizer;
import example.proactivecare.validation.ResourceValidator;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Personalised care and support plans: {@code Group/[id]/$generate-care-plans}, {@code Patient/[id]/$generate-care-plan}
 * and the plans' life through their Tasks ({@link CareTaskLifecycle}).
 */
@Configuration(proxyBeanMethods = false)
public class CarePlanConfig {

    @Bean
    CarePlanTerminology carePlanTerminology(ConformanceContent content) {
        return CarePlanTerminology.of(content);
    }

    @Bean
    CarePlanService carePlanService(
            DaoRegistry daos,
            IFhirSystemDao<Bundle, ?> systemDao,
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            EntityManagerFactory entityManagerFactory,
            ConformanceContent content,
            CarePlanTerminology terminology,
            CarePlansProperties properties,
            ObjectProvider<ResourceValidator> validator) {
        List<String> addressed = Stream.of("long-term-conditions", "psychosocial-risk-factors")
                .flatMap(id -> content.listedCodes(id).stream())
                .map(c -> c.getSystem() + "|" + c.getCode())
                .toList();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return new CarePlanService(
                daos,
                systemDao,
                new CarePlanQueries(new NamedParameterJdbcTemplate(jdbc), addressed),
                terminology,
                properties,
                new TransactionTemplate(transactionManager),
                jdbc,
                entityManagerFactory,
                validator.getIfAvailable());
    }

    @Bean
    FhirServerCustomizer carePlanOperations(CarePlanService plans, AsyncResponder responder) {
        return server -> server.registerProvider(new CarePlanOperationsProvider(plans, responder));
    }

    @Bean
    CareTaskLifecycle careTaskLifecycle(
            DaoRegistry daos,
            CarePlanTerminology terminology,
            CohortService cohorts,
            IInterceptorService interceptors) {
        CareTaskLifecycle lifecycle = new CareTaskLifecycle(daos, terminology, cohorts);
        interceptors.registerInterceptor(lifecycle);
        return lifecycle;
    }
}
