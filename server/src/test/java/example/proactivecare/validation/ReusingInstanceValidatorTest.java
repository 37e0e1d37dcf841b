package example.proactivecare.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReusingInstanceValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static ValidationSupportChain support;

    @BeforeAll
    static void supportChain() {
        support = new ValidationSupportChain(
                FHIR.getValidationSupport(),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
    }

    private static FhirValidator validatorWith(FhirInstanceValidator module) {
        module.setAnyExtensionsAllowed(true);
        FhirValidator validator = FHIR.newValidator();
        validator.registerValidatorModule(module);
        return validator;
    }

    private static List<String> errors(FhirValidator validator, org.hl7.fhir.instance.model.api.IBaseResource r) {
        return validator.validateWithResult(r).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(SingleValidationMessage::getLocationString)
                .toList();
    }

    private static Encounter encounterWithoutStatus() {
        Encounter encounter = new Encounter();
        encounter
                .getClass_()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("AMB");
        return encounter;
    }

    @Nested
    class Reuse {

        @Test
        void one_core_validator_serves_many_resources_in_turn() {
            // given
            ReusingInstanceValidator module = new ReusingInstanceValidator(support);
            FhirValidator validator = validatorWith(module);

            // when
            for (int i = 0; i < 20; i++) {
                assertThat(errors(validator, new Patient().setActive(true))).isEmpty();
            }

            // then
            assertThat(module.validatorsBuilt()).isEqualTo(1);
        }

        @Test
        void a_core_validator_is_renewed_after_its_quota_of_resources() {
            // given
            ReusingInstanceValidator module = new ReusingInstanceValidator(support);
            FhirValidator validator = validatorWith(module);

            // when
            for (int i = 0; i < ReusingInstanceValidator.USES_BEFORE_RENEWAL + 1; i++) {
                errors(validator, new Patient().setActive(true));
            }

            // then
            assertThat(module.validatorsBuilt()).isEqualTo(2);
        }
    }

    @Nested
    class SameVerdictsAsHapi {

        @Test
        void an_invalid_resource_gets_the_errors_hapis_own_validator_gives_after_valid_ones() {
            // given
            FhirValidator reusing = validatorWith(new ReusingInstanceValidator(support));
            FhirValidator hapi = validatorWith(new FhirInstanceValidator(support));
            errors(reusing, new Patient().setActive(true));

            // when
            List<String> ours = errors(reusing, encounterWithoutStatus());

            // then
            assertThat(ours).isNotEmpty().isEqualTo(errors(hapi, encounterWithoutStatus()));
            assertThat(errors(reusing, new Patient().setActive(true))).isEmpty();
        }
    }
}
