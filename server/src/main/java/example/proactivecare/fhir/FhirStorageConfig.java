package example.proactivecare.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import example.proactivecare.benchmark.PlainHapiBaseline;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/** HAPI FHIR JPA storage on PostgreSQL: the entity manager, the transaction manager and the storage settings. */
@Configuration(proxyBeanMethods = false)
@EnableTransactionManagement
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    ThreadPoolFactoryConfig.class,
    SubscriptionChannelConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class
})
public class FhirStorageConfig {

    @Bean
    public JpaStorageSettings jpaStorageSettings(FhirServerProperties server) {
        JpaStorageSettings settings = new JpaStorageSettings();
        // A reference must point at a stored resource; nothing is invented to satisfy it.
        settings.setAllowMultipleDelete(false);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        settings.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
        settings.setFetchSizeDefaultMaximum(server.maxPageSize());
        settings.setDefaultSearchParamsCanBeOverridden(false);
        settings.setAllowExternalReferences(false);
        // A GP system that writes and then searches must see its own write: no reuse of cached search results.
        settings.setReuseCachedSearchResultsForMillis(null);
        // Pre-expanding ValueSets into tables needs Hibernate Search, which this server does not run; the project's
        // value sets are small, and are expanded in memory on demand.
        settings.setPreExpandValueSets(false);
        return settings;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            DataSource dataSource,
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            Environment environment) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        boolean tuned = !environment.matchesProfiles(PlainHapiBaseline.PROFILE);
        factory.setJpaProperties(hibernateProperties(tuned));
        return factory;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    private static Properties hibernateProperties(boolean tuned) {
        Properties properties = new Properties();
        properties.put("hibernate.dialect", HapiFhirPostgresDialect.class.getName());
        // HAPI's own tables; the project's analytic schema is managed separately.
        properties.put("hibernate.hbm2ddl.auto", "update");
        properties.put("hibernate.search.enabled", "false");
        if (tuned) {
            // Index rows go to PostgreSQL in batches (the plain-hapi benchmark baseline leaves Hibernate's default).
            properties.put("hibernate.jdbc.batch_size", "100");
            properties.put("hibernate.order_inserts", "true");
            properties.put("hibernate.order_updates", "true");
        }
        properties.put("hibernate.cache.use_second_level_cache", "false");
        properties.put("hibernate.cache.use_query_cache", "false");
        properties.put("hibernate.cache.use_structured_entries", "false");
        properties.put("hibernate.cache.use_minimal_puts", "false");
        properties.put("hibernate.format_sql", "false");
        properties.put("hibernate.show_sql", "false");
        return properties;
    }
}
