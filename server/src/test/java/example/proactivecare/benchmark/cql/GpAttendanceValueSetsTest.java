package example.proactivecare.benchmark.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.projection.ConceptMaps;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupUnmappedMode;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

/** The CQL baseline's value sets, derived from the project's ConceptMaps as packaged on the classpath. */
class GpAttendanceValueSetsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String SNOMED = "http://snomed.info/sct";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    @Test
    void gpAttendanceTypesAreTheTypesTheTypeMapSendsToGpAttendance() {
        Map<String, List<String>> codes = codes(GpAttendanceValueSets.fromClasspath(FHIR));

        assertThat(codes.get("gp-attendance-types"))
                .contains(SNOMED + "|185202000")
                .doesNotContain(SNOMED + "|281399006");
        // a did-not-attend code is categorised (not-an-appointment), so the class is never consulted for it
        assertThat(codes.get("categorised-types")).contains(SNOMED + "|185202000", SNOMED + "|281399006");
        // a mode-only type (telephone encounter) is not categorised: such an encounter is a GP attendance by its class
        assertThat(codes.get("categorised-types")).doesNotContain(SNOMED + "|185317003");
        assertThat(codes.get("gp-attendance-classes"))
                .containsExactlyInAnyOrder(ACT_CODE + "|AMB", ACT_CODE + "|HH", ACT_CODE + "|VR");
    }

    @Test
    void aValueSetTheMapsLeaveEmptyHoldsOnlyThePlaceholder() {
        Map<String, List<String>> codes = codes(GpAttendanceValueSets.fromClasspath(FHIR));

        assertThat(codes.get("gp-attendance-service-types"))
                .containsExactly(GpAttendanceValueSets.NO_CODE_SYSTEM + "|" + GpAttendanceValueSets.NO_CODE);
        assertThat(codes.get("categorised-service-types")).isNotEmpty();
    }

    @Test
    void composeAndExpansionListTheSameCodes() {
        for (ValueSet valueSet : GpAttendanceValueSets.fromClasspath(FHIR)) {
            List<String> composed = valueSet.getCompose().getInclude().stream()
                    .flatMap(i -> i.getConcept().stream().map(c -> i.getSystem() + "|" + c.getCode()))
                    .toList();
            assertThat(composed).as(valueSet.getId()).containsExactlyInAnyOrderElementsOf(expansion(valueSet));
            assertThat(valueSet.getExpansion().getTotal()).isEqualTo(composed.size());
        }
    }

    @Test
    void anUnmappedRuleOnTheTypeMapStopsTheDerivation() {
        List<ConceptMap> maps = classpathMaps();
        ConceptMaps.byId(maps, "encounter-type-to-category")
                .getGroupFirstRep()
                .getUnmapped()
                .setMode(ConceptMapGroupUnmappedMode.FIXED)
                .setCode("unclassified");

        assertThatThrownBy(() -> GpAttendanceValueSets.from(maps))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unmapped rule");
    }

    private static List<ConceptMap> classpathMaps() {
        return ConformanceResources.read("classpath*:conformance/mappings/*.json").stream()
                .map(f -> FHIR.newJsonParser().parseResource(f.text()))
                .filter(ConceptMap.class::isInstance)
                .map(ConceptMap.class::cast)
                .toList();
    }

    private static Map<String, List<String>> codes(List<ValueSet> valueSets) {
        return valueSets.stream()
                .collect(Collectors.toMap(v -> v.getIdElement().getIdPart(), GpAttendanceValueSetsTest::expansion));
    }

    private static List<String> expansion(ValueSet valueSet) {
        return valueSet.getExpansion().getContains().stream()
                .map(c -> c.getSystem() + "|" + c.getCode())
                .toList();
    }
}
