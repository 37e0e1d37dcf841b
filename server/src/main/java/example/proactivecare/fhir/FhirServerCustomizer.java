package example.proactivecare.fhir;

import ca.uhn.fhir.rest.server.RestfulServer;

/** Implemented by feature configuration to add its operation providers and interceptors to the FHIR endpoint. */
@FunctionalInterface
public interface FhirServerCustomizer {

    void customize(RestfulServer server);
}
