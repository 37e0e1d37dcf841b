package example.proactivecare.bulkexport;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.fhir.FhirServerCustomizer;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * FHIR Bulk Data export ({@code $export}) with HAPI's own provider and batch job: system, {@code Patient} and
 * {@code Group/[id]/$export}, kicked off with {@code Prefer: respond-async}, polled at the {@code Content-Location}, and
 * written as NDJSON Binary resources. A Group export holds the Group's active members only ({@link
 * ActiveGroupMembersInterceptor}).
 */
@Configuration(proxyBeanMethods = false)
public class BulkExportConfig {

    @Bean
    FhirServerCustomizer bulkExportOperations(BulkDataExportProvider provider, JpaStorageSettings storageSettings) {
        // Each kick-off exports the data as it is then: HAPI would otherwise answer a repeated request with the files
        // of an earlier job with the same parameters, missing whatever was written since.
        storageSettings.setEnableBulkExportJobReuse(false);
        return server -> server.registerProvider(provider);
    }

    /**
     * How often HAPI's batch jobs move on: each step of an export waits for a maintenance pass, which HAPI runs once a
     * minute, so even a small export took four minutes. Set before the scheduler starts (this bean is created with the
     * other singletons, before the context is refreshed).
     */
    @Bean
    BatchMaintenanceInterval batchMaintenanceInterval(
            IJobMaintenanceService maintenance,
            @Value("${proactivecare.batch.maintenance-interval:5s}") Duration interval) {
        if (maintenance instanceof JobMaintenanceServiceImpl scheduled) {
            scheduled.setScheduledJobFrequencyMillis(interval.toMillis());
        }
        return new BatchMaintenanceInterval(interval);
    }

    /** The interval set on HAPI's batch job maintenance. */
    record BatchMaintenanceInterval(Duration interval) {}

    @Bean
    ActiveGroupMembersInterceptor activeGroupMembersInterceptor(DaoRegistry daos, IInterceptorService interceptors) {
        ActiveGroupMembersInterceptor interceptor = new ActiveGroupMembersInterceptor(daos);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
