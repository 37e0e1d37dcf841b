package example.proactivecare.projection;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds every projection table from the stored resources: needed after a mapping or a view changes. Each resource
 * type is rebuilt in one database transaction, so a reader sees a type's tables either as they were or rebuilt, never
 * half done. Rows are a function of the resource, so a rebuild gives the rows incremental maintenance gave.
 */
final class ProjectionRebuilder {

    /** Told how far the rebuild has got, in resources. */
    @FunctionalInterface
    interface Progress {
        void report(long done, long total, String stage);
    }

    /** Resources read between two clears of the persistence context. */
    private static final int CHUNK = 500;

    private final DaoRegistry daoRegistry;
    private final ProjectionWriter writer;
    private final TransactionTemplate transaction;
    private final EntityManager entityManager;

    ProjectionRebuilder(
            DaoRegistry daoRegistry,
            ProjectionWriter writer,
            PlatformTransactionManager transactions,
            EntityManager entityManager) {
        this.daoRegistry = daoRegistry;
        this.writer = writer;
        this.transaction = new TransactionTemplate(transactions);
        this.entityManager = entityManager;
    }

    /** Rebuilds every table; answers the rows each table holds afterwards, by table name. */
    Map<String, Long> rebuild(Progress progress) {
        Set<String> types = new LinkedHashSet<>();
        writer.views().forEach(view -> types.add(view.resourceType()));
        Map<String, List<IResourcePersistentId<?>>> idsByType = new LinkedHashMap<>();
        long total = 0;
        for (String type : types) {
            List<IResourcePersistentId<?>> ids = dao(type).searchForIds(new SearchParameterMap(), request());
            idsByType.put(type, ids);
            total += ids.size();
        }
        long[] count = {0};
        final long all = total;
        progress.report(0, all, "starting");
        for (var entry : idsByType.entrySet()) {
            String type = entry.getKey();
            IFhirResourceDao<IBaseResource> dao = dao(type);
            transaction.executeWithoutResult(status -> {
                writer.clear(type);
                for (IResourcePersistentId<?> id : entry.getValue()) {
                    writer.insert(dao.readByPid(id));
                    if (++count[0] % CHUNK == 0) {
                        // The entities read so far are not needed again (rows go through JDBC, nothing is changed
                        // through JPA); without this, every read checks all of them and the rebuild slows
                        // quadratically.
                        entityManager.clear();
                        progress.report(count[0], all, type);
                    }
                }
            });
        }
        progress.report(all, all, "done");
        Map<String, Long> rows = new LinkedHashMap<>();
        writer.views().forEach(view -> rows.put(view.table(), writer.rowCount(view)));
        return rows;
    }

    @SuppressWarnings("unchecked")
    private IFhirResourceDao<IBaseResource> dao(String type) {
        return (IFhirResourceDao<IBaseResource>) daoRegistry.getResourceDao(type);
    }

    private static SystemRequestDetails request() {
        return new SystemRequestDetails();
    }
}
