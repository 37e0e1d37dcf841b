package example.proactivecare.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import example.proactivecare.projection.ProjectionInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * What a benchmarked server reports about itself when it shuts down, written as JSON to the file named by {@code
 * proactivecare.benchmark.report}: its peak heap (the sum of the heap pools' peaks), the heap still reachable after a
 * full collection at shutdown, and the time its analytic projection took.
 */
public class ServerReport implements ApplicationListener<ContextClosedEvent> {

    private final Path file;
    private final ObjectProvider<ProjectionInterceptor> projection;

    public ServerReport(Path file, ObjectProvider<ProjectionInterceptor> projection) {
        this.file = file;
        this.projection = projection;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        // What is still reachable once the work is done: a full collection first, so old garbage is not counted.
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("peakHeapBytes", peak);
        report.put("liveHeapAtEndBytes", live);
        ProjectionInterceptor interceptor = projection.getIfAvailable();
        if (interceptor != null) {
            report.put("projectedResources", interceptor.resources());
            report.put("projectionNanos", interceptor.nanos());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
