package example.proactivecare.async;

import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Background execution of long requests made with {@code Prefer: respond-async}. */
@Configuration(proxyBeanMethods = false)
public class AsyncConfig {

    /** One job at a time: the long jobs (rebuilds, loads, ICS-wide refreshes) each want the whole machine. */
    @Bean(destroyMethod = "shutdown")
    public AsyncJobs asyncJobs() {
        return new AsyncJobs(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "async-job");
            thread.setDaemon(true);
            return thread;
        }));
    }

    @Bean
    public AsyncResponder asyncResponder(AsyncJobs jobs) {
        return new AsyncResponder(jobs);
    }
}
