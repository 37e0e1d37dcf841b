package example.proactivecare.conformance;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Installs the conformance content shipped with the server (terminology, profiles, mappings) at start-up, each resource
 * under its own id. An unchanged file is not written again (no new version, no validation), so restarts are cheap, and
 * a changed file becomes a new version.
 *
 * <p>It runs as a lifecycle phase ahead of the web server's, so no client sees the server without its content. Once
 * it is done, the validator's caches are emptied: lookups made while the content was half installed (a profile
 * checked before the extensions it uses were stored) must not outlive the installation.
 */
class ConformanceInstaller implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceInstaller.class);

    private final ConformanceContent content;
    private final DaoRegistry daoRegistry;
    private final IValidationSupport validationSupport;
    private volatile boolean running;

    ConformanceInstaller(ConformanceContent content, DaoRegistry daoRegistry, IValidationSupport validationSupport) {
        this.content = content;
        this.daoRegistry = daoRegistry;
        this.validationSupport = validationSupport;
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
        var entries = content.entries();
        for (ConformanceResources.Entry entry : entries) {
            Resource resource = (Resource) entry.resource();
            IFhirResourceDao<Resource> dao = daoRegistry.getResourceDao(resource);
            // Most starts install nothing new: skip unchanged files before the update, which would validate them.
            if (!alreadyInstalled(dao, resource)) {
                dao.update(resource, new SystemRequestDetails());
                changed++;
            }
        }
        if (changed > 0) {
            validationSupport.invalidateCaches();
        }
        LOG.info("Conformance content: {} resources, {} new or changed", entries.size(), changed);
    }

    private boolean alreadyInstalled(IFhirResourceDao<Resource> dao, Resource resource) {
        Resource stored;
        try {
            stored = dao.read(resource.getIdElement().toUnqualifiedVersionless(), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
        return withoutMeta(stored).equalsDeep(withoutMeta(resource));
    }

    private static Resource withoutMeta(Resource resource) {
        Resource copy = resource.copy();
        copy.setMeta(null);
        copy.setIdElement(new IdType(resource.getIdElement().getIdPart()));
        return copy;
    }
}
