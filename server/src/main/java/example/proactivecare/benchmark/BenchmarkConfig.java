package example.proactivecare.benchmark;

import example.proactivecare.projection.ProjectionInterceptor;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A server started by the benchmark reports its memory and projection time on shutdown. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "proactivecare.benchmark.report")
public class BenchmarkConfig {

    @Bean
    ServerReport serverReport(
            @Value("${proactivecare.benchmark.report}") Path file, ObjectProvider<ProjectionInterceptor> projection) {
        return new ServerReport(file, projection);
    }
}
