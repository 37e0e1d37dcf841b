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
class ProjectionInterceptor {

    private final ProjectionWriter writer;
    private final LongAdder resources = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private volatile boolean paused;

    ProjectionInterceptor(ProjectionWriter writer) {
        this.writer = writer;
    }

    /**
     * Stops (or resumes) writing rows. Only the ingest benchmark does this, to measure what the projection costs; the
     * rows of what is written meanwhile are missing until the next rebuild.
     */
    void pause(boolean pause) {
        this.paused = pause;
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

    /** Resources projected so far, and the time spent projecting them (rows evaluated and written), in nanoseconds. */
    long[] resourcesAndNanos() {
        return new long[] {resources.sum(), nanos.sum()};
    }

    /** Runs one resource's projection, unless paused, and counts the time it takes. */
    private void project(Runnable projection) {
        if (paused) {
            return;
        }
        long start = System.nanoTime();
        projection.run();
        nanos.add(System.nanoTime() - start);
        resources.increment();
    }
}
