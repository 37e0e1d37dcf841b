package example.proactivecare.reports;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.async.AsyncResponder;
import example.proactivecare.cohort.CohortService;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.fhir.FhirServerCustomizer;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** ICS reports: {@code Organization/[id]/$practice-ranking} and {@code Organization/[id]/$access-report}. */
@Configuration(proxyBeanMethods = false)
public class ReportsConfig {

    @Bean
    FhirServerCustomizer reportOperations(
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            DaoRegistry daos,
            ConformanceContent content,
            CohortService cohorts,
            AsyncResponder responder) {
        ReportTerminology terminology = ReportTerminology.of(content);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        ReportQueries queries = new ReportQueries(new NamedParameterJdbcTemplate(jdbc));
        ReportScopes scopes = new ReportScopes(daos);
        MeasureReportStore store = new MeasureReportStore(daos, new TransactionTemplate(transactionManager), jdbc);
        PracticeRankingService ranking = new PracticeRankingService(queries, terminology, scopes, cohorts, store);
        AccessReportService access = new AccessReportService(queries, terminology, scopes, store);
        return server -> server.registerProvider(new ReportsProvider(ranking, access, responder));
    }
}
