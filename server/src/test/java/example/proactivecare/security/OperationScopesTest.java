package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.junit.jupiter.api.Test;

/**
 * Every operation this project defines (its OperationDefinitions in {@code profiles/}) has its required scope declared
 * in {@link OperationScopes}, and states the same scope in its {@code comment}.
 */
class OperationScopesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final OperationScopes scopes = new OperationScopes(OperationScopes.DECLARED);

    @Test
    void eachProjectOperationDeclaresItsScopeAndItsDefinitionSaysSo() throws IOException {
        List<OperationDefinition> definitions = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("..", "profiles"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                String json = Files.readString(file);
                if (json.contains("\"resourceType\": \"OperationDefinition\"")) {
                    definitions.add(FHIR.newJsonParser().parseResource(OperationDefinition.class, json));
                }
            }
        }
        assertThat(definitions).hasSizeGreaterThanOrEqualTo(8);

        for (OperationDefinition definition : definitions) {
            String name = "$" + definition.getCode();
            List<String> levels = new ArrayList<>();
            if (definition.getSystem()) {
                levels.add("SERVER");
            }
            if (definition.getType()) {
                levels.add("TYPE");
            }
            if (definition.getInstance()) {
                levels.add("INSTANCE");
            }
            List<String> types = definition.getResource().isEmpty()
                    ? java.util.Collections.singletonList(null)
                    : definition.getResource().stream().map(t -> t.getValue()).toList();
            for (String type : types) {
                for (String level : levels) {
                    OperationScopes.Policy policy = scopes.find(name, type, OperationScopes.Level.valueOf(level))
                            .orElseThrow(() -> new AssertionError(
                                    name + " on " + type + " (" + level + ") has no scope in OperationScopes"));
                    assertThat(definition.getComment())
                            .as(definition.getId() + ".comment")
                            .contains("Required scope: " + String.join(" or ", policy.requiredScopes()) + ".");
                }
            }
        }
    }

    @Test
    void anUndeclaredOperationHasNoPolicy() {
        assertThat(scopes.find("$expunge", null, OperationScopes.Level.SERVER)).isEmpty();
        assertThat(scopes.find("$frequent-attenders", "Patient", OperationScopes.Level.TYPE))
                .isEmpty();
    }
}
