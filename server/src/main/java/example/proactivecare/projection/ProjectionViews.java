package example.proactivecare.projection;

import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.projection.view.CompiledView;
import example.proactivecare.projection.view.Row;
import example.proactivecare.projection.view.ViewColumn;
import example.proactivecare.projection.view.ViewDefinitionEngine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Encounter;

/**
 * The projection's tables: one per ViewDefinition in {@code mappings/views/} (packaged on the classpath under {@code
 * conformance/mappings/views/}), named after the view, with the Encounter table also holding the category and mode the
 * {@link EncounterClassifier} gives.
 */
final class ProjectionViews {

    static final String PATTERN = "classpath*:conformance/mappings/views/*.json";
    static final String ENCOUNTER_VIEW = "encounter";

    private ProjectionViews() {}

    /** Every ViewDefinition file's text, by file name, in a stable order. */
    static List<Map.Entry<String, String>> files() {
        return ConformanceResources.read(PATTERN).stream()
                .map(file -> Map.entry(file.fileName(), file.text()))
                .sorted(Map.Entry.comparingByKey())
                .toList();
    }

    static List<ViewTable> tables(ViewDefinitionEngine engine, EncounterClassifier classifier) {
        return files().stream()
                .map(file -> table(engine, engine.compile(file.getValue()), classifier))
                .toList();
    }

    private static ViewTable table(ViewDefinitionEngine engine, CompiledView view, EncounterClassifier classifier) {
        List<String> columns = view.columns().stream().map(ViewColumn::name).toList();
        if (!ENCOUNTER_VIEW.equals(view.name())) {
            return new ViewTable(
                    view.name(), view.resource(), columns, resource -> engine.evaluate(view, resource).stream()
                            .map(Row::asMap)
                            .toList());
        }
        List<String> withClassification =
                Stream.concat(columns.stream(), Stream.of("category", "mode")).toList();
        return new ViewTable(view.name(), view.resource(), withClassification, resource -> {
            EncounterClassifier.Classification classification = classifier.classify((Encounter) resource);
            return engine.evaluate(view, resource).stream()
                    .map(row -> classified(row, classification))
                    .toList();
        });
    }

    private static Map<String, Object> classified(Row row, EncounterClassifier.Classification classification) {
        Map<String, Object> values = new HashMap<>(row.asMap());
        values.put("category", classification.category());
        values.put("mode", classification.mode());
        return values;
    }
}
