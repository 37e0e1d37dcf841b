package example.proactivecare;

import example.proactivecare.benchmark.BenchmarkCommand;
import example.proactivecare.benchmark.CarePlanBenchmark;
import example.proactivecare.benchmark.CohortBenchmark;
import example.proactivecare.cli.Commands;
import example.proactivecare.population.GenerateCommand;
import example.proactivecare.population.LoadCommand;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.batch.BatchAutoConfiguration;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Proactive Care FHIR Server: a HAPI FHIR JPA R4 server on PostgreSQL.
 *
 * <p>HAPI brings its own JPA, Quartz and Thymeleaf wiring, so Spring Boot's auto-configuration for those is switched
 * off, as is the Elasticsearch client that HAPI's optional full-text search drags onto the classpath.
 */
@SpringBootApplication(
        exclude = {
            HibernateJpaAutoConfiguration.class,
            JpaRepositoriesAutoConfiguration.class,
            QuartzAutoConfiguration.class,
            BatchAutoConfiguration.class,
            ThymeleafAutoConfiguration.class,
            ElasticsearchRestClientAutoConfiguration.class
        })
@ConfigurationPropertiesScan
public class ProactiveCareServerApplication {

    public static void main(String[] args) {
        // The jar's command-line tools run without starting the server.
        Commands commands = new Commands(Map.of(
                "generate",
                GenerateCommand::run,
                "load",
                LoadCommand::run,
                "benchmark",
                BenchmarkCommand::run,
                "benchmark-cohorts",
                CohortBenchmark::run,
                "benchmark-care-plans",
                CarePlanBenchmark::run));
        Optional<Integer> status = commands.run(args);
        if (status.isPresent()) {
            System.exit(status.get());
        }
        SpringApplication.run(ProactiveCareServerApplication.class, args);
    }
}
