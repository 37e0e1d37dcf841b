package example.proactivecare.validation;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A rule every resource must pass just before it is stored: on create and update, through plain and conditional writes
 * and in every entry of a transaction (where a refusal rolls the whole bundle back).
 *
 * <p>Features contribute checks as beans; they run in {@code @Order}.
 */
@FunctionalInterface
public interface PreStorageCheck {

    /** Refuses the resource by throwing a 4xx {@code BaseServerResponseException} carrying an OperationOutcome. */
    void check(IBaseResource resource);
}
