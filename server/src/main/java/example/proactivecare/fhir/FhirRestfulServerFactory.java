package example.proactivecare.fhir;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * Builds HAPI's REST server with the JPA providers, paging and every feature's {@link FhirServerCustomizer}. A bean of
 * this type, rather than of the servlet type, so that HAPI's object graph is created with the rest of the singletons.
 */
@FunctionalInterface
public interface FhirRestfulServerFactory {

    RestfulServer create();
}
