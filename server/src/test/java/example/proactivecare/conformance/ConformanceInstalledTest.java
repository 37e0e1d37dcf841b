package example.proactivecare.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.support.FhirServerTest;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The server holds its own conformance content, under the ids and canonical URLs of the source files. */
class ConformanceInstalledTest extends FhirServerTest {

    @Test
    void theTerminologyProfilesAndMappingsFromTheRepositoryAreReadable() {
        CodeSystem categories = client.read()
                .resource(CodeSystem.class)
                .withId("encounter-category")
                .execute();
        StructureDefinition practice = client.read()
                .resource(StructureDefinition.class)
                .withId("practice-organization")
                .execute();
        ConceptMap classMap = client.read()
                .resource(ConceptMap.class)
                .withId("encounter-class-to-category")
                .execute();

        assertThat(categories.getUrl()).isEqualTo("https://proactivecare.example/fhir/CodeSystem/encounter-category");
        assertThat(categories.getConcept()).hasSize(8);
        assertThat(practice.getType()).isEqualTo("Organization");
        assertThat(classMap.getGroupFirstRep().getElement()).isNotEmpty();
    }

    @Autowired
    private ConformanceInstaller installer;

    @Test
    void theInstallerRunAgainOnUnchangedContentWritesNothing() {
        List<String> before = versionsOfEveryConformanceResource();

        // what every restart does
        installer.start();

        assertThat(versionsOfEveryConformanceResource()).isEqualTo(before);
    }

    private List<String> versionsOfEveryConformanceResource() {
        return ConformanceResources.load(FHIR).stream()
                .map(entry -> client.read()
                        .resource(entry.resource().fhirType())
                        .withId(entry.resource().getIdElement().getIdPart())
                        .execute()
                        .getIdElement()
                        .getValue())
                .toList();
    }

    @Test
    void installingTheSameContentAgainMakesNoNewVersion() {
        String before = client.read()
                .resource(CodeSystem.class)
                .withId("encounter-category")
                .execute()
                .getMeta()
                .getVersionId();

        // the server installs on every start; a repeated install of unchanged files must be a no-op
        ConformanceResources.load(FHIR)
                .forEach(entry -> client.update().resource(entry.resource()).execute());

        String after = client.read()
                .resource(CodeSystem.class)
                .withId("encounter-category")
                .execute()
                .getMeta()
                .getVersionId();
        assertThat(after).isEqualTo(before);
    }
}
