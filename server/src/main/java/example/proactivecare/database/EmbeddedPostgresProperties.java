package example.proactivecare.database;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where and how the embedded PostgreSQL keeps its data. Used only when no external datasource is configured.
 *
 * @param dataDir the folder that holds the database cluster; it survives restarts (environment {@code
 *     PROACTIVECARE_DATADIR})
 * @param durable whether PostgreSQL fsyncs its writes; tests switch it off for speed, a real run keeps it on
 * @param sharedBuffers PostgreSQL's {@code shared_buffers}, such as {@code 2GB}; by default a quarter of the machine's
 *     memory, between 256MB and 4GB, as PostgreSQL's own tuning advice has it for a dedicated server
 */
@ConfigurationProperties(prefix = "proactivecare")
public record EmbeddedPostgresProperties(Path dataDir, Boolean durable, String sharedBuffers) {

    static final long MIN_SHARED_BUFFERS_MB = 256;
    static final long MAX_SHARED_BUFFERS_MB = 4096;

    public EmbeddedPostgresProperties {
        dataDir = dataDir == null ? Path.of("data", "postgres") : dataDir;
        durable = durable == null ? Boolean.TRUE : durable;
        sharedBuffers =
                sharedBuffers == null || sharedBuffers.isBlank() ? defaultSharedBuffers() : sharedBuffers.trim();
    }

    /** {@link #sharedBuffersFor} this machine's memory. */
    public static String defaultSharedBuffers() {
        return sharedBuffersFor(machineMemoryBytes());
    }

    /** A quarter of {@code memoryBytes}, between 256MB and 4GB, in megabytes as PostgreSQL writes them. */
    static String sharedBuffersFor(long memoryBytes) {
        long quarter = memoryBytes / 4 / (1024 * 1024);
        return Math.max(MIN_SHARED_BUFFERS_MB, Math.min(MAX_SHARED_BUFFERS_MB, quarter)) + "MB";
    }

    private static long machineMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
