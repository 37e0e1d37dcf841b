package example.proactivecare.projection;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.proactivecare.projection.view.CompiledView;
import example.proactivecare.projection.view.ViewDefinitionEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The build's check of the ViewDefinitions in mappings/views/. */
class ProjectionViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ViewDefinitionEngine engine;
    private static List<Map.Entry<String, String>> files;

    @BeforeAll
    static void readEveryView() {
        engine = new ViewDefinitionEngine(FhirContext.forR4Cached());
        files = ProjectionViews.files();
    }

    @Test
    void theViewsTheIssueAsksForAreThere() {
        assertThat(files)
                .extracting(Map.Entry::getKey)
                .contains(
                        "patient.json",
                        "practice.json",
                        "encounter.json",
                        "medication-statement.json",
                        "medication-request.json",
                        "condition.json",
                        "care-plan.json",
                        "task.json");
    }

    @Nested
    class EveryView {

        @Test
        void compilesAndKeysItsRowsByTheResourceId() {
            assertThat(files).allSatisfy(file -> {
                CompiledView view = engine.compile(file.getValue());
                assertThat(view.columns().get(0).name()).as(file.getKey()).isEqualTo("id");
            });
        }

        @Test
        void isNamedAfterItsIdWithACanonicalUrl() throws Exception {
            for (Map.Entry<String, String> file : files) {
                JsonNode view = JSON.readTree(file.getValue());
                String id = view.path("id").asText();
                assertThat(file.getKey()).isEqualTo(id + ".json");
                assertThat(view.path("url").asText())
                        .isEqualTo("https://proactivecare.example/fhir/ViewDefinition/" + id);
            }
        }
    }
}
