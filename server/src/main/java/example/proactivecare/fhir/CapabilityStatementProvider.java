package example.proactivecare.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.OperationDefinition;

/**
 * HAPI's JPA CapabilityStatement provider, except that reading an OperationDefinition by id also finds the stored ones.
 *
 * <p>HAPI answers {@code GET OperationDefinition/[id]} itself, from the definitions it generates for the operations it
 * serves, and 404s every other id, which hides the project's own OperationDefinitions from a plain read. A stored
 * definition is returned when HAPI has none of that id.
 */
class CapabilityStatementProvider extends JpaCapabilityStatementProvider {

    private final IFhirResourceDao<OperationDefinition> operationDefinitions;

    CapabilityStatementProvider(
            RestfulServer server,
            IFhirSystemDao<?, ?> systemDao,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            IFhirResourceDao<OperationDefinition> operationDefinitions) {
        super(server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        this.operationDefinitions = operationDefinitions;
    }

    @Override
    @Read(typeName = "OperationDefinition")
    public IBaseResource readOperationDefinition(@IdParam IIdType id, RequestDetails requestDetails) {
        try {
            return super.readOperationDefinition(id, requestDetails);
        } catch (ResourceNotFoundException generatedByHapiNotFound) {
            return operationDefinitions.read(id, requestDetails);
        }
    }
}
