package example.proactivecare.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;

/**
 * Start-up work that HAPI would otherwise do later on the main thread: scanning the R4 model classes and parsing the R4
 * structure definitions (which HAPI keeps in a process-wide cache). Run on a second core while Spring builds the
 * application context and PostgreSQL starts, it takes them off the critical path.
 */
public final class FhirModelPreloader {

    private FhirModelPreloader() {}

    public static void startInBackground() {
        Thread thread = new Thread(
                () -> {
                    FhirContext r4 = FhirContext.forR4Cached();
                    r4.getResourceTypes().forEach(r4::getResourceDefinition);
                    new DefaultProfileValidationSupport(r4).fetchAllStructureDefinitions();
                },
                "fhir-model-preload");
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        thread.start();
    }
}
