package example.proactivecare.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The build's check of every conformance file in terminology/, profiles/ and mappings/, and of the example instance
 * of each profile.
 */
class ConformanceContentTest {

    private static final Pattern PROJECT_CANONICAL = Pattern.compile(Pattern.quote(ConformanceResources.CANONICAL_BASE)
            + "/(CodeSystem|ValueSet|ConceptMap|StructureDefinition|OperationDefinition)/[A-Za-z0-9.-]+");

    private static FhirContext fhir;
    private static List<ConformanceResources.Entry> entries;
    private static List<ConformanceResources.Entry> examples;
    private static FhirValidator validator;

    @BeforeAll
    static void loadEveryFile() {
        fhir = FhirContext.forR4();
        fhir.setParserErrorHandler(new StrictErrorHandler());
        entries = ConformanceResources.load(fhir);
        examples = ConformanceResources.loadExamples(fhir);

        // the files are known to the validator, so a wrong cross-reference between them is an error, and an example
        // is checked against the profile it claims
        PrePopulatedValidationSupport project = new PrePopulatedValidationSupport(fhir);
        entries.forEach(entry -> project.addResource(entry.resource()));
        ValidationSupportChain support = new ValidationSupportChain(
                project,
                new DefaultProfileValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir));
        validator = fhir.newValidator();
        FhirInstanceValidator module = new FhirInstanceValidator(support);
        module.setAnyExtensionsAllowed(false);
        validator.registerValidatorModule(module);
    }

    private static Stream<String> errors(IBaseResource resource) {
        ValidationResult result = validator.validateWithResult(resource);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(m -> m.getLocationString() + ": " + m.getMessage());
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
            assertThat(entries).allSatisfy(entry -> assertThat(errors(entry.resource()))
                    .as(entry.folder() + "/" + entry.fileName())
                    .isEmpty());
        }

        @Test
        void refersOnlyToProjectResourcesThatExist() {
            Set<String> urls = entries.stream()
                    .map(entry -> ((MetadataResource) entry.resource()).getUrl())
                    .collect(Collectors.toSet());
            assertThat(entries).allSatisfy(entry -> {
                String json = fhir.newJsonParser().encodeResourceToString(entry.resource());
                assertThat(PROJECT_CANONICAL.matcher(json).results().map(m -> m.group()))
                        .as(entry.folder() + "/" + entry.fileName())
                        .allSatisfy(url -> assertThat(urls).contains(url));
            });
        }
    }

    @Nested
    class EveryProfile {

        @Test
        void hasAnExampleInstanceThatClaimsIt() {
            Set<String> claimed = examples.stream()
                    .flatMap(example -> example.resource().getMeta().getProfile().stream())
                    .map(p -> p.getValue())
                    .collect(Collectors.toSet());
            List<String> resourceProfiles = entries.stream()
                    .map(ConformanceResources.Entry::resource)
                    .filter(r -> r instanceof StructureDefinition sd
                            && sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE)
                    .map(r -> ((StructureDefinition) r).getUrl())
                    .toList();

            assertThat(resourceProfiles).isNotEmpty();
            assertThat(claimed).containsAll(resourceProfiles);
        }

        @Test
        void exampleIsValidAgainstTheProfileItClaims() {
            assertThat(examples).isNotEmpty().allSatisfy(example -> {
                assertThat(example.resource().getMeta().getProfile())
                        .as(example.fileName())
                        .isNotEmpty();
                assertThat(errors(example.resource())).as(example.fileName()).isEmpty();
            });
        }

        @Test
        void aResourceMissingWhatItsProfileRequiresIsInvalid() {
            // given the GP Encounter example without the practice responsible for it
            Encounter encounter = examples.stream()
                    .map(ConformanceResources.Entry::resource)
                    .filter(Encounter.class::isInstance)
                    .map(Encounter.class::cast)
                    .findFirst()
                    .orElseThrow()
                    .copy();
            encounter.setServiceProvider(null);

            // when it is validated, then the profile's cardinality is enforced
            assertThat(errors(encounter)).anySatisfy(error -> assertThat(error).contains("Encounter.serviceProvider"));
        }
    }
}
