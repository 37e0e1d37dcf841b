package example.proactivecare.audit;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import example.proactivecare.fhir.FhirServerCustomizer;
import example.proactivecare.security.SecurityProperties;
import example.proactivecare.security.SmartRequests;
import java.util.HashSet;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Audit of access to patient data, as FHIR AuditEvents in the style of IHE BALP, stored in this server and searchable
 * by a {@code system/AuditEvent.rs} token: every read and search that answers patient data (HAPI's BALP interceptor),
 * and every operation, history read and refusal ({@link OperationAuditInterceptor}).
 * {@code proactivecare.audit.enabled=false} turns it off (the benchmark's measurements).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "proactivecare.audit", name = "enabled", matchIfMissing = true)
public class AuditConfig {

    @Bean(destroyMethod = "close")
    AuditEventWriter auditEventWriter(
            DaoRegistry daos, PlatformTransactionManager transactionManager, JpaStorageSettings storageSettings) {
        // An audit trail outlives what it recorded: deleting a patient must not be blocked by the events about them.
        Set<String> paths = new HashSet<>(storageSettings.getEnforceReferentialIntegrityOnDeleteDisableForPaths());
        paths.add("AuditEvent.entity.what");
        storageSettings.setEnforceReferentialIntegrityOnDeleteDisableForPaths(paths);
        return new AuditEventWriter(daos, transactionManager);
    }

    @Bean
    FhirServerCustomizer auditInterceptors(AuditEventWriter writer, SecurityProperties security) {
        AuditContext context = new AuditContext(new SmartRequests(security.claims()));
        return server -> {
            server.registerInterceptor(new ReadAuditInterceptor(new ReadAuditSink(writer), context));
            server.registerInterceptor(new OperationAuditInterceptor(writer, context));
        };
    }
}
