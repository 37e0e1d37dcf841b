package example.proactivecare.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Installs the conformance content shipped with the server (terminology, profiles, mappings) at start-up, each resource
 * under its own id. An unchanged file makes no new version, so restarts are cheap and a changed file is a new version.
 *
 * <p>It runs as a lifecycle phase ahead of the web server's, so no client sees the server without its content.
 */
class ConformanceInstaller implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceInstaller.class);

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private volatile boolean running;

    ConformanceInstaller(FhirContext fhirContext, DaoRegistry daoRegistry) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
    }

    @Override
    public int getPhase() {
        return 0;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public void start() {
        install();
        running = true;
    }

    private void install() {
        int changed = 0;
        var entries = ConformanceResources.load(fhirContext);
        for (ConformanceResources.Entry entry : entries) {
            IBaseResource resource = entry.resource();
            @SuppressWarnings("unchecked")
            IFhirResourceDao<IBaseResource> dao =
                    (IFhirResourceDao<IBaseResource>) daoRegistry.getResourceDao(fhirContext.getResourceType(resource));
            DaoMethodOutcome outcome = dao.update(resource, new SystemRequestDetails());
            if (!outcome.isNop()) {
                changed++;
            }
        }
        LOG.info("Conformance content: {} resources installed, {} new or changed", entries.size(), changed);
    }
}
