package example.proactivecare.async;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-running work started with {@code Prefer: respond-async}: it runs in the background, reports its progress, and
 * keeps its result until the client collects it from the status URL (FHIR's asynchronous request pattern).
 *
 * <p>Jobs live in memory: a restart forgets them, and the client then gets 404 from the status URL and can start the
 * work again. Finished jobs are kept for {@link #KEEP_FINISHED} jobs at most.
 */
public class AsyncJobs {

    /** Where a job's status URL lives, under the server's root: {@code /async/<id>}. */
    public static final String STATUS_PATH = "/async/";

    static final int KEEP_FINISHED = 100;
    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobs.class);

    /** Where a job reports how far it has got, in words a person can read. */
    @FunctionalInterface
    public interface Progress {
        void report(String progress);
    }

    /** A job's state as the status URL shows it. */
    public enum State {
        RUNNING,
        DONE,
        FAILED
    }

    /**
     * A snapshot of one job.
     *
     * @param owner who asked for it (the authenticated principal's name; null when security is off): only they may
     *     read its status and result
     */
    public record Job(
            String id,
            String owner,
            String description,
            State state,
            String progress,
            Instant started,
            Instant finished,
            IBaseResource result,
            String failure) {}

    private final ExecutorService executor;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    public AsyncJobs(ExecutorService executor) {
        this.executor = executor;
    }

    /** Starts the work in the background for {@code owner} (null when security is off) and answers its id. */
    public String submit(String owner, String description, Function<Progress, IBaseResource> work) {
        String id = UUID.randomUUID().toString();
        jobs.put(id, new Job(id, owner, description, State.RUNNING, "queued", Instant.now(), null, null, null));
        forgetOldFinishedJobs();
        executor.execute(() -> {
            try {
                IBaseResource result = work.apply(progress -> jobs.computeIfPresent(
                        id,
                        (k, job) -> new Job(
                                id, owner, description, State.RUNNING, progress, job.started(), null, null, null)));
                jobs.computeIfPresent(
                        id,
                        (k, job) -> new Job(
                                id,
                                owner,
                                description,
                                State.DONE,
                                "done",
                                job.started(),
                                Instant.now(),
                                result,
                                null));
            } catch (RuntimeException e) {
                LOG.error("Asynchronous job {} ({}) failed", id, description, e);
                jobs.computeIfPresent(
                        id,
                        (k, job) -> new Job(
                                id,
                                owner,
                                description,
                                State.FAILED,
                                "failed",
                                job.started(),
                                Instant.now(),
                                null,
                                e.getMessage()));
            }
        });
        return id;
    }

    public Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Stops taking work; what runs is interrupted. */
    public void shutdown() {
        executor.shutdownNow();
    }

    /** Forgets a job; a running one carries on, but its result is no longer kept. */
    public boolean forget(String id) {
        return jobs.remove(id) != null;
    }

    private void forgetOldFinishedJobs() {
        var finished = jobs.values().stream()
                .filter(job -> job.finished() != null)
                .sorted(java.util.Comparator.comparing(Job::finished))
                .toList();
        for (int i = 0; i < finished.size() - KEEP_FINISHED; i++) {
            jobs.remove(finished.get(i).id());
        }
    }
}
