package example.proactivecare.validation;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Runs every {@link PreStorageCheck} on each resource HAPI is about to create or update. */
@Interceptor
public class PreStorageChecksInterceptor {

    private final List<PreStorageCheck> checks;

    public PreStorageChecksInterceptor(List<PreStorageCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource oldResource, IBaseResource newResource) {
        check(newResource);
    }

    /** Every check, except validation of a resource the operation storing it has checked ({@link CheckedResources}). */
    private void check(IBaseResource resource) {
        boolean checked = CheckedResources.contains(resource);
        for (PreStorageCheck check : checks) {
            if (!(checked && check instanceof ResourceValidator)) {
                check.check(resource);
            }
        }
    }
}
