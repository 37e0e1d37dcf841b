package example.proactivecare.validation;

import java.util.Collection;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Resources that a server operation built and answers for itself, so that the {@link ResourceValidator} does not
 * validate each of them again just before it is stored (the other pre-storage checks still run). An operation that
 * stores thousands of resources of a few shapes (care plan generation) validates one of each shape itself, and marks
 * the rest here. The mark is kept on the resource object (its user data, which is never read from or written to a
 * request or the database), so nothing a client sends can carry it.
 */
public final class CheckedResources {

    private static final String KEY = CheckedResources.class.getName();

    private CheckedResources() {}

    /** Marks these resource objects as checked. */
    public static void add(Collection<? extends IBaseResource> resources) {
        resources.forEach(resource -> resource.setUserData(KEY, Boolean.TRUE));
    }

    static boolean contains(IBaseResource resource) {
        return Boolean.TRUE.equals(resource.getUserData(KEY));
    }
}
