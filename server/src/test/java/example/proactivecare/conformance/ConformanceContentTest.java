package example.proactivecare.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.MetadataResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The build's check of every conformance file in terminology/, profiles/ and mappings/. */
class ConformanceContentTest {

    private static FhirContext fhir;
    private static List<ConformanceResources.Entry> entries;

    @BeforeAll
    static void loadEveryFile() {
        fhir = FhirContext.forR4();
        fhir.setParserErrorHandler(new StrictErrorHandler());
        entries = ConformanceResources.load(fhir);
    }

    @Test
    void eachConformanceFolderHoldsAtLeastOneResource() {
        assertThat(entries)
                .extracting(ConformanceResources.Entry::folder)
                .contains("terminology", "profiles", "mappings");
    }

    @Nested
    class EveryFile {

        @Test
        void isNamedAfterTheIdOfTheResourceItHolds() {
            assertThat(entries).allSatisfy(entry -> assertThat(entry.fileName())
                    .as(entry.folder() + "/" + entry.fileName())
                    .isEqualTo(entry.resource().getIdElement().getIdPart() + ".json"));
        }

        @Test
        void hasACanonicalUrlUnderTheProjectBaseEndingInItsId() {
            assertThat(entries).allSatisfy(entry -> {
                MetadataResource resource = (MetadataResource) entry.resource();
                assertThat(resource.getUrl())
                        .as(entry.fileName())
                        .isEqualTo(ConformanceResources.CANONICAL_BASE + "/" + resource.fhirType() + "/"
                                + resource.getIdElement().getIdPart());
            });
        }

        @Test
        void holdsOnlyTheKindOfResourceItsFolderIsFor() {
            assertThat(entries).allSatisfy(entry -> {
                String type = entry.resource().fhirType();
                switch (entry.folder()) {
                    case "terminology" -> assertThat(type).isIn("CodeSystem", "ValueSet");
                    case "profiles" ->
                        assertThat(type)
                                .isIn("StructureDefinition", "OperationDefinition", "Measure", "SearchParameter");
                    case "mappings" -> assertThat(type).isIn("ConceptMap", "Binary", "Basic", "StructureMap");
                    default -> throw new AssertionError("unexpected folder " + entry.folder());
                }
            });
        }

        @Test
        void isValidAgainstTheBaseFhirSpecificationAndTheOtherFiles() {
            // the other files are known to the validator, so a wrong cross-reference between them is an error
            PrePopulatedValidationSupport project = new PrePopulatedValidationSupport(fhir);
            entries.forEach(entry -> project.addResource(entry.resource()));
            ValidationSupportChain support = new ValidationSupportChain(
                    project,
                    new DefaultProfileValidationSupport(fhir),
                    new InMemoryTerminologyServerValidationSupport(fhir),
                    new CommonCodeSystemsTerminologyService(fhir));
            FhirValidator validator = fhir.newValidator();
            validator.registerValidatorModule(new FhirInstanceValidator(support));

            assertThat(entries).allSatisfy(entry -> {
                ValidationResult result = validator.validateWithResult(entry.resource());
                assertThat(result.getMessages().stream()
                                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                                .map(m -> m.getLocationString() + ": " + m.getMessage()))
                        .as(entry.folder() + "/" + entry.fileName())
                        .isEmpty();
            });
        }
    }
}
