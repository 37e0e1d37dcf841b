package example.proactivecare.projection.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official SQL-on-FHIR v2 test suite, one dynamic test per case, named {@code <file> › <test title>}.
 *
 * <p>The suite is not copied into the repository: it is read from the system property {@code sqlonfhir.tests}, else
 * from the first {@code shared/conformance/sql-on-fhir-v2} found walking up from the working directory. Without it
 * the whole factory is skipped. Cases whose file or tags say they are for another FHIR version only are skipped, with
 * the reason in the skip message.
 *
 * <p>Rows are compared as multisets (the suite's rows are in no particular order), numbers by value.
 */
class SqlOnFhirConformanceTest {

    private static final String SUITE = "shared/conformance/sql-on-fhir-v2";
    /** Tags that name a FHIR version, such as {@code r5}, {@code fhir-r4} or {@code 5.0.0}. */
    private static final Pattern VERSION_TAG = Pattern.compile("(?i)(fhir-?)?(r\\d+b?|\\d+\\.\\d+(\\.\\d+)?)");

    /** Decimals exactly as written: 1.0 and 1 differ in FHIRPath (lowBoundary() depends on the precision). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static ViewDefinitionEngine engine;

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheSuite() throws IOException {
        Optional<Path> folder = suiteFolder();
        assumeTrue(folder.isPresent(), "SQL-on-FHIR test suite not found: set -Dsqlonfhir.tests or provide " + SUITE);
        engine = new ViewDefinitionEngine(FHIR);
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder.get())) {
            for (Path file :
                    files.filter(SqlOnFhirConformanceTest::isTestFile).sorted().toList()) {
                tests.addAll(casesOf(file));
            }
        }
        return tests.stream();
    }

    private static boolean isTestFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") && !name.endsWith(".schema.json");
    }

    private static List<DynamicTest> casesOf(Path file) throws IOException {
        JsonNode suite = JSON.readTree(file.toFile());
        String fileName = file.getFileName().toString().replaceFirst("\\.json$", "");
        String otherVersion = otherVersionOnly(suite.get("fhirVersion"));
        List<IBaseResource> resources = new ArrayList<>();
        suite.get("resources")
                .forEach(resource -> resources.add(FHIR.newJsonParser().parseResource(resource.toString())));
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode testCase : suite.get("tests")) {
            String title = fileName + " › " + testCase.get("title").asText();
            String skip = otherVersion != null ? otherVersion : otherVersionOnlyTags(testCase.get("tags"));
            tests.add(DynamicTest.dynamicTest(title, () -> {
                assumeTrue(skip == null, skip);
                run(title, testCase, resources);
            }));
        }
        return tests;
    }

    private static void run(String title, JsonNode testCase, List<IBaseResource> resources) {
        JsonNode view = testCase.get("view");
        if (testCase.path("expectError").asBoolean(false)) {
            assertThatThrownBy(
                            () -> {
                                CompiledView compiled = engine.compile(view);
                                resources.forEach(resource -> engine.evaluate(compiled, resource));
                            },
                            "%s",
                            title)
                    .isInstanceOfAny(InvalidViewDefinitionException.class, ViewEvaluationException.class);
            return;
        }
        CompiledView compiled = engine.compile(view);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (IBaseResource resource : resources) {
            engine.evaluate(compiled, resource).forEach(row -> rows.add(normalised(row.asMap())));
        }
        if (testCase.has("expectColumns")) {
            List<String> expected = new ArrayList<>();
            testCase.get("expectColumns").forEach(name -> expected.add(name.asText()));
            assertThat(compiled.columns())
                    .as("%s", title)
                    .extracting(ViewColumn::name)
                    .containsExactlyElementsOf(expected);
        }
        if (testCase.has("expect")) {
            List<Map<String, Object>> expected = new ArrayList<>();
            testCase.get("expect").forEach(row -> expected.add(normalised(row)));
            assertThat(rows).as("%s", title).containsExactlyInAnyOrderElementsOf(expected);
        }
        if (testCase.has("expectCount")) {
            assertThat(rows).as("%s", title).hasSize(testCase.get("expectCount").asInt());
        }
    }

    /** A row as comparable values: numbers as BigDecimal without trailing zeros, lists element by element. */
    private static Map<String, Object> normalised(Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>();
        row.forEach((name, value) -> values.put(name, normalisedValue(value)));
        return values;
    }

    private static Map<String, Object> normalised(JsonNode row) {
        Map<String, Object> values = new LinkedHashMap<>();
        row.fields().forEachRemaining(field -> values.put(field.getKey(), normalisedValue(field.getValue())));
        return values;
    }

    private static Object normalisedValue(Object value) {
        if (value instanceof JsonNode node) {
            if (node.isNull()) {
                return null;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>();
                node.forEach(item -> list.add(normalisedValue(item)));
                return list;
            }
            if (node.isNumber()) {
                return node.decimalValue().stripTrailingZeros();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.asText();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SqlOnFhirConformanceTest::normalisedValue).toList();
        }
        if (value instanceof Integer || value instanceof Long) {
            return new BigDecimal(value.toString()).stripTrailingZeros();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros();
        }
        return value;
    }

    /** Why a file whose {@code fhirVersion} list leaves out R4 is skipped, or null when it applies to R4. */
    private static String otherVersionOnly(JsonNode versions) {
        if (versions == null || !versions.isArray() || versions.isEmpty()) {
            return null;
        }
        List<String> listed = new ArrayList<>();
        versions.forEach(version -> listed.add(version.asText()));
        return listed.stream().anyMatch(version -> version.startsWith("4.0"))
                ? null
                : "file is for FHIR " + listed + " only, not R4";
    }

    /** Why a case tagged only for other FHIR versions is skipped, or null when it applies to R4. */
    private static String otherVersionOnlyTags(JsonNode tags) {
        if (tags == null || !tags.isArray()) {
            return null;
        }
        List<String> versions = new ArrayList<>();
        tags.forEach(tag -> {
            if (VERSION_TAG.matcher(tag.asText()).matches()) {
                versions.add(tag.asText());
            }
        });
        boolean r4 = versions.stream().anyMatch(tag -> tag.matches("(?i)(fhir-?)?(r4|4\\.0(\\.\\d+)?)"));
        return versions.isEmpty() || r4 ? null : "tagged for FHIR " + versions + " only, not R4";
    }

    private static Optional<Path> suiteFolder() {
        String property = System.getProperty("sqlonfhir.tests");
        if (property != null && !property.isBlank()) {
            Path folder = Path.of(property);
            return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SUITE);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
