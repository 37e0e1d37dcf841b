package example.proactivecare.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import example.proactivecare.validation.CheckedResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores AuditEvents in the server's own database, off the request thread: a request queues its events and goes on;
 * one writer thread stores them in batches (one transaction each), a few milliseconds later. A batch that fails is
 * stored event by event, so one bad event loses only itself, and that is logged.
 *
 * <p>The events are the server's own, built by HAPI's BALP interceptor and {@link OperationAuditInterceptor}, so they are
 * stored without being validated against their profiles again ({@link CheckedResources}): an event about a cohort of
 * 42,000 patients took the validator seconds of CPU. ScopeMatrixTest validates an event of each shape.
 *
 * <p>The queue holds {@value #CAPACITY} events; a request that finds it full waits for room rather than losing an
 * event. Events still queued when the server stops are written before it does.
 */
public class AuditEventWriter implements IBalpAuditEventSink, AutoCloseable {

    static final int CAPACITY = 100_000;
    static final int BATCH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(AuditEventWriter.class);

    private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final IFhirResourceDao<AuditEvent> dao;
    private final TransactionTemplate transactions;
    private final Thread writer;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private volatile boolean stopping;

    public AuditEventWriter(DaoRegistry daos, PlatformTransactionManager transactionManager) {
        this.dao = daos.getResourceDao(AuditEvent.class);
        this.transactions = new TransactionTemplate(transactionManager);
        this.writer = new Thread(this::run, "audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void recordAuditEvent(AuditEvent event) {
        try {
            CheckedResources.add(List.of(event));
            queued.incrementAndGet();
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.incrementAndGet();
            LOG.error("An AuditEvent was not recorded (interrupted): {}", describe(event));
        }
    }

    /** Waits until every event queued so far is stored (or {@code timeout} passes); true when it is. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = queued.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (!stopping || !queue.isEmpty()) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                if (!stopping) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("Writing AuditEvents failed", e);
            } finally {
                done.addAndGet(batch.size());
                batch.clear();
            }
        }
    }

    private void write(List<AuditEvent> batch) {
        try {
            transactions.executeWithoutResult(status -> {
                SystemRequestDetails request = new SystemRequestDetails();
                batch.forEach(event -> dao.create(event, request));
            });
        } catch (RuntimeException batchFailed) {
            for (AuditEvent event : batch) {
                writeAlone(event);
            }
        }
    }

    /**
     * One event, in its own transaction. An event about a resource that does not exist (a request for an unknown
     * Group is still recorded) is stored with its references as text, since a reference must name a stored resource.
     */
    private void writeAlone(AuditEvent event) {
        try {
            event.setId((String) null);
            transactions.executeWithoutResult(status -> dao.create(event, new SystemRequestDetails()));
        } catch (RuntimeException failed) {
            try {
                event.setId((String) null);
                for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
                    if (entity.getWhat().hasReference()) {
                        entity.getWhat()
                                .setDisplay(entity.getWhat().getReference())
                                .setReference(null);
                    }
                }
                transactions.executeWithoutResult(status -> dao.create(event, new SystemRequestDetails()));
            } catch (RuntimeException again) {
                LOG.error("An AuditEvent could not be stored ({}): {}", again.getMessage(), describe(event));
            }
        }
    }

    private static String describe(AuditEvent event) {
        String request = event.getEntity().stream()
                .filter(entity -> "XrequestId".equals(entity.getType().getCode()))
                .map(entity -> entity.getWhat().getIdentifier().getValue())
                .findFirst()
                .orElse("?");
        return event.getAction() + " " + event.getSubtypeFirstRep().getCode() + " by "
                + event.getAgentFirstRep().getWho().getDisplay() + " at " + event.getRecorded() + ", request "
                + request;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        writer.join(Duration.ofSeconds(30).toMillis());
    }
}
