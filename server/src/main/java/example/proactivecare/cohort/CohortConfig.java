package example.proactivecare.cohort;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.async.AsyncResponder;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.fhir.FhirServerCustomizer;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Cohort derivation: {@code Group/$frequent-attenders} and {@code Group/[id]/$review-member}. */
@Configuration(proxyBeanMethods = false)
public class CohortConfig {

    @Bean
    CohortService cohortService(
            DataSource dataSource,
            CohortProperties properties,
            PlatformTransactionManager transactionManager,
            DaoRegistry daos,
            ConformanceContent content) {
        CohortTerminology terminology = CohortTerminology.of(content);
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        CohortQueries queries = new CohortQueries(
                dataSource,
                properties.partitions(),
                terminology.longTermConditions(),
                terminology.psychosocialRiskFactors());
        return new CohortService(queries, terminology, daos, transactions, jdbc);
    }

    @Bean
    FhirServerCustomizer cohortOperations(CohortService cohorts, AsyncResponder responder) {
        return server -> server.registerProvider(
                new CohortOperationsProvider(cohorts, responder, new CohortAnswerJson(server.getFhirContext())));
    }
}
