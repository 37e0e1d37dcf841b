package example.proactivecare.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import example.proactivecare.security.SmartRequests;
import example.proactivecare.security.SmartToken;
import jakarta.annotation.Nonnull;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Who made a request, for the AuditEvents of HAPI's BALP interceptor and of {@link OperationAuditInterceptor}: the
 * client (its {@code client_id}) and the user (their {@code fhirUser}, else the token's subject), from the request's
 * SMART token.
 *
 * <p>Both are logical references (an identifier and a display), not literal ones: a client is no FHIR resource, and a
 * user's Practitioner may live elsewhere (an external issuer). Resources are referred to by relative, versionless ids,
 * so that {@code AuditEvent?patient=Patient/123} and {@code AuditEvent?entity=Group/9} find them.
 */
public class AuditContext implements IBalpAuditContextServices {

    public static final String CLIENT_SYSTEM = "https://proactivecare.example/fhir/Id/oauth-client";
    public static final String USER_SYSTEM = "https://proactivecare.example/fhir/Id/fhir-user";
    public static final String SUBJECT_SYSTEM = "https://proactivecare.example/fhir/Id/oauth-subject";
    static final String ANONYMOUS = "anonymous (security is off)";

    private final SmartRequests requests;

    public AuditContext(SmartRequests requests) {
        this.requests = requests;
    }

    Optional<SmartToken> token(RequestDetails request) {
        return requests.token(request);
    }

    @Nonnull
    @Override
    public Reference getAgentClientWho(RequestDetails request) {
        return token(request)
                .map(token -> logical(CLIENT_SYSTEM, token.clientId()))
                .orElseGet(() -> new Reference().setDisplay(ANONYMOUS));
    }

    @Nonnull
    @Override
    public Reference getAgentUserWho(RequestDetails request) {
        return token(request)
                .map(token -> token.fhirUser() != null
                        ? logical(USER_SYSTEM, token.fhirUser())
                        : logical(SUBJECT_SYSTEM, token.subject()))
                .orElseGet(() -> new Reference().setDisplay(ANONYMOUS));
    }

    private static Reference logical(String system, String value) {
        Reference reference = new Reference().setDisplay(value);
        reference.getIdentifier().setSystem(system).setValue(value);
        return reference;
    }

    @Nonnull
    @Override
    public String massageResourceIdForStorage(
            @Nonnull RequestDetails request, @Nonnull IBaseResource resource, @Nonnull IIdType id) {
        return id.toUnqualifiedVersionless().getValue();
    }
}
