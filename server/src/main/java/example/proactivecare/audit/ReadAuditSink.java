package example.proactivecare.audit;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * What is kept of HAPI's BALP events: reads and queries (action {@code R} and {@code E}). Its create, update and delete
 * events are dropped: GP systems sync by the million, and the issue asks for reads of patient data and operations.
 * Each agent's identifier is copied to its {@code name}, so {@code AuditEvent?agent-name=} finds a client or user.
 */
final class ReadAuditSink implements IBalpAuditEventSink {

    private final IBalpAuditEventSink target;

    ReadAuditSink(IBalpAuditEventSink target) {
        this.target = target;
    }

    @Override
    public void recordAuditEvent(AuditEvent event) {
        if (event.getAction() != AuditEvent.AuditEventAction.R && event.getAction() != AuditEvent.AuditEventAction.E) {
            return;
        }
        // HAPI reads compartment owners from paths that may hold other types (Provenance.target): only Patients are
        // recorded as the patient
        event.getEntity()
                .removeIf(entity -> "1".equals(entity.getRole().getCode())
                        && entity.getWhat().hasReference()
                        && !entity.getWhat().getReference().startsWith("Patient/"));
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            if (agent.getWho().getIdentifier().hasValue()) {
                agent.setName(agent.getWho().getIdentifier().getValue());
            }
        }
        target.recordAuditEvent(event);
    }
}
