package example.proactivecare.reports;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

/** The Organization a report is run on: it must be stored (400 otherwise). */
class ReportScopes {

    private final DaoRegistry daos;

    ReportScopes(DaoRegistry daos) {
        this.daos = daos;
    }

    Organization organization(String id, RequestDetails requestDetails) {
        try {
            return daos.getResourceDao(Organization.class).read(new IdType("Organization", id), requestDetails);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            throw new InvalidRequestException("Organization/" + id + " is not known: a report's scope is a stored"
                    + " Organization (an ICB, a locality, a PCN or a practice)");
        }
    }

    static Reference reference(String id, String name) {
        return new Reference("Organization/" + id).setDisplay(name);
    }
}
