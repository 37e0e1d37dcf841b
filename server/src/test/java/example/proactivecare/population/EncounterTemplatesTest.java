package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.population.EncounterTemplates.Kind;
import example.proactivecare.population.EncounterTemplates.Template;
import example.proactivecare.projection.ConceptMaps;
import example.proactivecare.projection.EncounterClassifier;
import example.proactivecare.projection.EncounterClassifier.Classification;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The encounter shapes, built from the ConceptMaps shipped in mappings/. */
class EncounterTemplatesTest {

    private static List<ConceptMap> maps;
    private static EncounterTemplates templates;

    @BeforeAll
    static void givenTheProjectsConceptMaps() {
        maps = new ConformanceContent(ConformanceResources.load(FhirContext.forR4Cached())).resources(ConceptMap.class);
        templates = EncounterTemplates.from(maps);
    }

    private static ConceptMap map(String id) {
        return maps.stream()
                .filter(m -> m.getUrl().equals(ConceptMaps.BASE + id))
                .findFirst()
                .orElseThrow();
    }

    private static Set<String> sourceCodes(String mapId) {
        Set<String> codes = new HashSet<>();
        for (ConceptMapGroupComponent group : map(mapId).getGroup()) {
            group.getElement().forEach(e -> codes.add(group.getSource() + "|" + e.getCode()));
        }
        return codes;
    }

    private static String key(Coding coding) {
        return coding.system() + "|" + coding.code();
    }

    @Nested
    class EveryKindOfEncounter {

        @Test
        void hasAtLeastOneShape() {
            for (Kind kind : Kind.values()) {
                assertThat(templates.all()).anyMatch(t -> t.kind() == kind);
            }
        }

        @Test
        void isClassifiedByTheServersClassifierAsItsKindSays() {
            // given the server's own classifier over the same maps
            EncounterClassifier classifier = new EncounterClassifier(maps);
            for (Template template : templates.all()) {
                // when a shape is classified
                Classification classification = classifier.classify(EncounterTemplates.toEncounter(template));
                // then it is what the generator counts it as
                assertThat(classification).isEqualTo(new Classification(template.category(), template.mode()));
            }
        }

        @Test
        void ofAGpModeHasThatMode() {
            assertThat(modesOf(Kind.GP_FACE_TO_FACE)).containsOnly("face-to-face");
            assertThat(modesOf(Kind.GP_HOME_VISIT)).containsOnly("home-visit");
            assertThat(modesOf(Kind.GP_TELEPHONE)).containsOnly("telephone");
            assertThat(modesOf(Kind.GP_VIDEO)).containsOnly("video");
            assertThat(modesOf(Kind.GP_WRITTEN)).containsOnly("written");
            assertThat(modesOf(Kind.GP_UNKNOWN_MODE)).containsOnly("unknown");
        }

        @Test
        void outsideGeneralPracticeHasTheHospitalOrUrgentCareCategory() {
            assertThat(categoriesOf(Kind.ED_ATTENDANCE)).containsOnly("ed-attendance");
            assertThat(categoriesOf(Kind.UNPLANNED_ADMISSION)).containsOnly("unplanned-admission");
            assertThat(categoriesOf(Kind.UNPLANNED_ADMISSION_FROM_ED)).containsOnly("unplanned-admission");
            assertThat(categoriesOf(Kind.CONTACT_111)).containsOnly("contact-111");
            assertThat(categoriesOf(Kind.CONTACT_999)).containsOnly("contact-999");
            assertThat(categoriesOf(Kind.GP_DID_NOT_ATTEND)).containsOnly("not-an-appointment");
            assertThat(categoriesOf(Kind.GP_CANCELLED)).containsOnly("not-an-appointment");
            assertThat(categoriesOf(Kind.UNMAPPED_LOCAL_CODE)).containsOnly("unclassified");
        }

        private List<String> modesOf(Kind kind) {
            return templates.all().stream()
                    .filter(t -> t.kind() == kind)
                    .map(Template::mode)
                    .toList();
        }

        private List<String> categoriesOf(Kind kind) {
            return templates.all().stream()
                    .filter(t -> t.kind() == kind)
                    .map(Template::category)
                    .toList();
        }
    }

    @Nested
    class EveryCodeUsed {

        @Test
        void ofAnEncounterTypeComesFromATypeMap() {
            Set<String> typeCodes = sourceCodes("encounter-type-to-category");
            typeCodes.addAll(sourceCodes("encounter-type-to-gp-appointment-mode"));
            for (Template template : templates.all()) {
                if (template.type() != null && template.kind() != Kind.UNMAPPED_LOCAL_CODE) {
                    assertThat(typeCodes).contains(key(template.type()));
                }
            }
        }

        @Test
        void ofAServiceTypeComesFromTheServiceTypeMap() {
            Set<String> serviceCodes = sourceCodes("encounter-service-type-to-category");
            assertThat(templates.all()).anyMatch(t -> t.serviceType() != null);
            for (Template template : templates.all()) {
                if (template.serviceType() != null) {
                    assertThat(serviceCodes).contains(key(template.serviceType()));
                }
            }
        }

        @Test
        void ofAClassComesFromAClassMapUnlessItIsMeantToBeUnmapped() {
            Set<String> classCodes = sourceCodes("encounter-class-to-category");
            for (Template template : templates.all()) {
                boolean meantUnmapped =
                        template.kind() == Kind.UNMAPPED_LOCAL_CODE || template.kind() == Kind.CONTACT_999;
                assertThat(classCodes.contains(key(template.encounterClass())))
                        .as(template.kind() + " class "
                                + template.encounterClass().code())
                        .isNotEqualTo(meantUnmapped);
            }
        }

        @Test
        void ofDidNotAttendIsOneTheCategoryMapCallsDidNotAttend() {
            assertThat(templates.all().stream()
                            .filter(t -> t.kind() == Kind.GP_DID_NOT_ATTEND)
                            .map(t -> t.type().display().toLowerCase(java.util.Locale.ROOT)))
                    .isNotEmpty()
                    .allMatch(display -> display.contains("did not attend"));
        }
    }

    @Test
    void aMapChangeThatReclassifiesAShapeStopsGeneration() {
        // given a type-to-category map that now calls the telephone consultation code an ED attendance
        Template telephone = templates.get(templates.first(Kind.GP_TELEPHONE));
        List<ConceptMap> changed = maps.stream().map(ConceptMap::copy).toList();
        ConceptMap typeToCategory = changed.stream()
                .filter(m -> m.getUrl().equals(ConceptMaps.BASE + "encounter-type-to-category"))
                .findFirst()
                .orElseThrow();
        typeToCategory.getGroup().stream()
                .filter(g -> g.getSource().equals(telephone.type().system()))
                .findFirst()
                .orElseThrow()
                .addElement()
                .setCode(telephone.type().code())
                .addTarget()
                .setCode("ed-attendance")
                .setEquivalence(org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence.EQUIVALENT);
        // when the templates are built from it
        // then the generator refuses, naming the shape and what it became
        assertThatThrownBy(() -> EncounterTemplates.from(changed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GP_TELEPHONE")
                .hasMessageContaining("ed-attendance");
    }
}
