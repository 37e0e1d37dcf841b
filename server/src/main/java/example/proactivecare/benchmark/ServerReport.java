package example.proactivecare.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import example.proactivecare.projection.ProjectionInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * What a benchmarked server reports about itself when it shuts down, written as JSON to the file named by {@code
 * proactivecare.benchmark.report}: its peak heap (the sum of the heap pools' peaks), the most heap in use after any
 * garbage collection (old garbage not yet collected included), the heap still reachable after a full collection at
 * shutdown, and the time its analytic projection took.
 */
public class ServerReport implements ApplicationListener<ContextClosedEvent> {

    private final Path file;
    private final ObjectProvider<ProjectionInterceptor> projection;
    private final AtomicLong maxLiveAfterGc = new AtomicLong();

    public ServerReport(Path file, ObjectProvider<ProjectionInterceptor> projection) {
        this.file = file;
        this.projection = projection;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(
                        (notification, handback) -> {
                            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                    notification.getType())) {
                                var info = GarbageCollectionNotificationInfo.from(
                                        (CompositeData) notification.getUserData());
                                long live = heapOnly(info.getGcInfo().getMemoryUsageAfterGc());
                                maxLiveAfterGc.accumulateAndGet(live, Math::max);
                            }
                        },
                        null,
                        null);
            }
        }
    }

    private static long heapOnly(Map<String, MemoryUsage> usageByPool) {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = usageByPool.get(pool.getName());
            if (pool.getType() == MemoryType.HEAP && usage != null) {
                sum += usage.getUsed();
            }
        }
        return sum;
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
        report.put("maxHeapAfterGcBytes", maxLiveAfterGc.get());
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
