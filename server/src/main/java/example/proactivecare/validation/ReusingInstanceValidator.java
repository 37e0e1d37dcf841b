package example.proactivecare.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's instance validator, with the core validator objects reused between resources.
 *
 * <p>HAPI's {@link FhirInstanceValidator} builds a new core {@code InstanceValidator} for every resource it checks,
 * and each one reads the FHIR OID registry from a CSV file on the classpath: a profile of GP-sync ingest showed 95% of
 * the request threads' time there (about 30 ms a resource). Here a validator, once built, is kept in a pool and used
 * again. A validator accumulates per-run caches (fetched references, resource trackers), so each is dropped after
 * {@value #USES_BEFORE_RENEWAL} resources and a fresh one built. Only JSON is validated: the server hands resources
 * to it encoded as JSON. Settings follow HAPI's own wrapper for the options this server uses.
 */
public class ReusingInstanceValidator extends FhirInstanceValidator {

    static final int USES_BEFORE_RENEWAL = 500;

    private final ConcurrentLinkedDeque<Pooled> pool = new ConcurrentLinkedDeque<>();
    private final AtomicLong built = new AtomicLong();

    public ReusingInstanceValidator(IValidationSupport validationSupport) {
        super(validationSupport);
    }

    /** How many core validators have been built so far (for tests and diagnostics). */
    public long validatorsBuilt() {
        return built.get();
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        if (context.getResourceAsStringEncoding() != EncodingEnum.JSON) {
            return super.validate(context);
        }
        WorkerContextValidationSupportAdapter worker = provideWorkerContext();
        Pooled pooled = take(worker);
        List<ValidationMessage> messages = new ArrayList<>();
        boolean healthy = false;
        try {
            List<StructureDefinition> profiles = new ArrayList<>();
            for (String url : context.getOptions().getProfiles()) {
                addProfile(worker, url, profiles, messages);
            }
            addDeclaredProfiles(context, worker, profiles, messages);
            byte[] json = context.getResourceAsString().getBytes(StandardCharsets.UTF_8);
            pooled.validator.validate(
                    context.getOptions().getAppContext(),
                    messages,
                    new ByteArrayInputStream(json),
                    FhirFormat.JSON,
                    profiles);
            healthy = true;
        } finally {
            if (healthy && ++pooled.uses < USES_BEFORE_RENEWAL) {
                pool.push(pooled);
            }
        }
        // A binding to a value set with no source is not the instance's fault (HAPI's wrapper drops it too).
        messages.removeIf(m -> I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE.equals(m.getMessageId()));
        for (ValidationMessage m : messages) {
            if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
                    || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId())) {
                m.setLevel(
                        isErrorForUnknownProfiles()
                                ? ValidationMessage.IssueSeverity.ERROR
                                : ValidationMessage.IssueSeverity.WARNING);
            }
        }
        return messages;
    }

    /** Profiles named in the resource's meta.profile are validated against too, as HAPI's wrapper does. */
    private static void addDeclaredProfiles(
            IValidationContext<?> context,
            WorkerContextValidationSupportAdapter worker,
            List<StructureDefinition> profiles,
            List<ValidationMessage> messages) {
        if (context.getResource() instanceof org.hl7.fhir.instance.model.api.IBaseResource resource
                && resource.getMeta() != null) {
            for (var profile : resource.getMeta().getProfile()) {
                addProfile(worker, profile.getValueAsString(), profiles, messages);
            }
        }
    }

    private static void addProfile(
            WorkerContextValidationSupportAdapter worker,
            String url,
            List<StructureDefinition> profiles,
            List<ValidationMessage> messages) {
        StructureDefinition definition = worker.fetchResource(StructureDefinition.class, url);
        if (definition != null) {
            profiles.add(definition);
        } else {
            ValidationMessage message = new ValidationMessage();
            message.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
            message.setLevel(ValidationMessage.IssueSeverity.ERROR);
            message.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
            messages.add(message);
        }
    }

    private Pooled take(WorkerContextValidationSupportAdapter worker) {
        Pooled pooled;
        while ((pooled = pool.poll()) != null) {
            if (pooled.worker == worker) {
                return pooled;
            }
        }
        return new Pooled(worker, build(worker));
    }

    private InstanceValidator build(WorkerContextValidationSupportAdapter worker) {
        built.incrementAndGet();
        InstanceValidator validator = new InstanceValidator(
                worker,
                getHostApplicationServices() != null ? getHostApplicationServices() : new NullEvaluationContext(),
                new XVerExtensionManagerOld(worker),
                new ValidatorSession(),
                new ValidatorSettings());
        validator.setAssumeValidRestReferences(isAssumeValidRestReferences());
        validator.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        validator.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(isNoTerminologyChecks());
        validator.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.getExtensionDomains().addAll(getExtensionDomains());
        validator.setFetcher(getValidatorResourceFetcher());
        validator.setPolicyAdvisor(getValidatorPolicyAdvisor());
        validator.setNoExtensibleWarnings(isNoExtensibleWarnings());
        validator.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        validator.setAllowExamples(isAllowExamples());
        validator.setAllowXsiLocation(true);
        return validator;
    }

    private static final class Pooled {
        final WorkerContextValidationSupportAdapter worker;
        final InstanceValidator validator;
        int uses;

        Pooled(WorkerContextValidationSupportAdapter worker, InstanceValidator validator) {
            this.worker = worker;
            this.validator = validator;
        }
    }
}
