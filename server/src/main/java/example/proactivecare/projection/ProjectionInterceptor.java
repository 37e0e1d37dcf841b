package example.proactivecare.projection;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.concurrent.atomic.LongAdder;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Keeps the projection in step with the store: on every create, update and delete, including each entry of a
 * transaction and conditional operations, the resource's rows are written just before the database transaction
 * commits, inside it. If the write rolls back, so do its rows.
 */
@Interceptor
public class ProjectionInterceptor {

    private final ProjectionWriter writer;
    private final LongAdder resources = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    ProjectionInterceptor(ProjectionWriter writer) {
        this.writer = writer;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        project(() -> writer.insert(resource));
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource current) {
        project(() -> writer.replace(current));
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        project(() -> writer.delete(resource.fhirType(), resource.getIdElement().getIdPart()));
    }

    /** Resources projected so far. */
    public long resources() {
        return resources.sum();
    }

    /** The time spent projecting them (rows evaluated and written, inside the transaction), in nanoseconds. */
    public long nanos() {
        return nanos.sum();
    }

    /** Runs one resource's projection and counts the time it takes. */
    private void project(Runnable projection) {
        long start = System.nanoTime();
        projection.run();
        nanos.add(System.nanoTime() - start);
        resources.increment();
    }
}
