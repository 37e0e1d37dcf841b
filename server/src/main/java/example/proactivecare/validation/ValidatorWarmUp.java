package example.proactivecare.validation;

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

    private final ResourceValidatingInterceptor validating;

    ValidatorWarmUp(ResourceValidatingInterceptor validating) {
        this.validating = validating;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        Thread thread = new Thread(
                () -> {
                    long start = System.nanoTime();
                    validating.validateWithResult(new Patient().setActive(true));
                    LOG.info("Validator ready in {} ms", (System.nanoTime() - start) / 1_000_000);
                },
                "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
