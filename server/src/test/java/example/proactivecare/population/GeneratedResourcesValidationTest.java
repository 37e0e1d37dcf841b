package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import example.proactivecare.conformance.ConformanceResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of resource the generator writes, planted defects included, is valid FHIR R4 and conforms to the project
 * profiles it claims, as the server's validator (base specification, project conformance content, extensions allowed)
 * sees it. The real server is the final judge; this is the fast check.
 */
class GeneratedResourcesValidationTest {

    @Test
    void everyResourceOfASmallPopulationWithManyDefectsIsValid(@TempDir Path dir) throws Exception {
        // given a small population where every kind of defect is likely
        new PopulationGenerator(new GeneratorOptions(
                        dir, 25, 5, LocalDate.of(2019, 1, 1), LocalDate.of(2021, 12, 31), 0.8, 10, 1))
                .run(null);
        FhirContext fhir = FhirContext.forR4Cached();
        FhirValidator validator = validator(fhir);
        // when each of its resources is validated
        List<String> errors = new ArrayList<>();
        List<ResourceType> types = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".ndjson")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, line);
                    for (BundleEntryComponent entry : bundle.getEntry()) {
                        IBaseResource resource = entry.getResource();
                        types.add(entry.getResource().getResourceType());
                        validator.validateWithResult(resource).getMessages().stream()
                                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                                .forEach(m -> errors.add(
                                        entry.getFullUrl() + " " + m.getLocationString() + ": " + m.getMessage()));
                    }
                }
            }
        }
        // then none has an error
        assertThat(types)
                .contains(
                        ResourceType.Organization,
                        ResourceType.Practitioner,
                        ResourceType.PractitionerRole,
                        ResourceType.Patient,
                        ResourceType.Condition,
                        ResourceType.Encounter,
                        ResourceType.MedicationStatement);
        assertThat(errors).isEmpty();
    }

    private static FhirValidator validator(FhirContext fhir) {
        PrePopulatedValidationSupport project = new PrePopulatedValidationSupport(fhir);
        ConformanceResources.load(fhir).forEach(entry -> project.addResource(entry.resource()));
        ValidationSupportChain support = new ValidationSupportChain(
                project,
                new DefaultProfileValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir));
        FhirInstanceValidator module = new FhirInstanceValidator(support);
        module.setAnyExtensionsAllowed(true);
        FhirValidator validator = fhir.newValidator();
        validator.registerValidatorModule(module);
        return validator;
    }
}
