package example.proactivecare.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where and how the embedded PostgreSQL keeps its data. Used only when no external datasource is configured.
 *
 * @param dataDir the folder that holds the database cluster; it survives restarts (environment {@code
 *     PROACTIVECARE_DATADIR})
 * @param durable whether PostgreSQL fsyncs its writes; tests switch it off for speed, a real run keeps it on
 */
@ConfigurationProperties(prefix = "proactivecare")
public record EmbeddedPostgresProperties(Path dataDir, Boolean durable) {

    public EmbeddedPostgresProperties {
        dataDir = dataDir == null ? Path.of("data", "postgres") : dataDir;
        durable = durable == null ? Boolean.TRUE : durable;
    }
}
