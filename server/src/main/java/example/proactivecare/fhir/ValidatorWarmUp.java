package example.proactivecare.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Loads the validator's structure definitions and terminology once the server is up, in the background, so that the
 * first client write does not pay for it (about ten seconds on two cores).
 */
class ValidatorWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatorWarmUp.class);

    private final FhirContext fhirContext;
    private final IValidatorModule validatorModule;

    ValidatorWarmUp(FhirContext fhirContext, IValidatorModule validatorModule) {
        this.fhirContext = fhirContext;
        this.validatorModule = validatorModule;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        Thread thread = new Thread(
                () -> {
                    long start = System.nanoTime();
                    FhirValidator validator = fhirContext.newValidator();
                    validator.registerValidatorModule(validatorModule);
                    validator.validateWithResult(new Patient().setActive(true));
                    LOG.info("Request validator ready in {} ms", (System.nanoTime() - start) / 1_000_000);
                },
                "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
