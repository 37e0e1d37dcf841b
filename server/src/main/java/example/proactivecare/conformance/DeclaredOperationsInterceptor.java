package example.proactivecare.conformance;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.OperationDefinition;

/**
 * Lists every custom operation of the project in the CapabilityStatement, pointing at its OperationDefinition in
 * profiles/ by canonical URL rather than at the definition HAPI generates from the Java signature.
 *
 * <p>An operation that is defined but has no implementation in this build yet is still listed, so clients can read the
 * whole contract, and its documentation says plainly that the server does not serve it yet.
 */
@Interceptor
class DeclaredOperationsInterceptor {

    static final String NOT_SERVED = "Defined, not yet served by this server version.";

    private final List<OperationDefinition> operations;

    DeclaredOperationsInterceptor(List<OperationDefinition> operations) {
        this.operations = List.copyOf(operations);
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void declare(IBaseConformance capabilityStatement) {
        CapabilityStatementRestComponent rest = ((CapabilityStatement) capabilityStatement).getRestFirstRep();
        for (OperationDefinition operation : operations) {
            if (operation.getSystem()) {
                declare(rest.getOperation(), operation);
            }
            if (operation.getType() || operation.getInstance()) {
                for (var type : operation.getResource()) {
                    var resource = rest.getResource().stream()
                            .filter(r -> r.getType().equals(type.getCode()))
                            .findFirst()
                            .orElseGet(() -> rest.addResource().setType(type.getCode()));
                    declare(resource.getOperation(), operation);
                }
            }
        }
    }

    private static void declare(
            List<CapabilityStatementRestResourceOperationComponent> listed, OperationDefinition operation) {
        listed.stream()
                .filter(o -> o.getName().equals(operation.getCode()))
                .findFirst()
                .ifPresentOrElse(
                        served -> served.setDefinition(operation.getUrl()),
                        () -> listed.add(new CapabilityStatementRestResourceOperationComponent()
                                .setName(operation.getCode())
                                .setDefinition(operation.getUrl())
                                .setDocumentation(NOT_SERVED)));
    }
}
