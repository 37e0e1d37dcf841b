package example.proactivecare.benchmark.cql;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.projection.ConceptMaps;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupUnmappedMode;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The value sets the CQL measure's "GP Attendances" definition uses, derived at run time from the ConceptMaps in
 * {@code mappings/} (as packaged on the classpath), never copied from them: the CQL applies the same maps, in the same
 * order, as the server's {@code EncounterClassifier}.
 *
 * <ul>
 *   <li>{@code categorised-types}: every Encounter.type code that {@code encounter-type-to-category} maps to a category;
 *       {@code gp-attendance-types}: those whose category is {@code gp-attendance};
 *   <li>{@code categorised-service-types} and {@code gp-attendance-service-types}: the same for Encounter.serviceType
 *       and {@code encounter-service-type-to-category};
 *   <li>{@code gp-attendance-classes}: the Encounter.class codes {@code encounter-class-to-category} maps to {@code
 *       gp-attendance}.
 * </ul>
 *
 * <p>A code is "mapped" as {@code ConceptMapLookup} reads a map: a target with a code whose equivalence is neither
 * {@code unmatched} nor {@code disjoint}; of several targets, the first one without conditions. Constructs the CQL could
 * not follow with a value set (a group's {@code unmapped} rule on the type or service-type map, a target with {@code
 * dependsOn} conditions on those maps, a conditional gp-attendance class, an unmapped rule sending classes to
 * gp-attendance) stop the derivation with an error rather than give a different cohort.
 *
 * <p>Each value set carries its expansion (so clinical reasoning uses exactly these codes, without a terminology
 * server) and the same codes as its compose. A value set the maps leave empty (today: no service type is a GP
 * attendance) holds one placeholder code of a system no Encounter carries, as clinical reasoning cannot read an empty
 * expansion.
 */
public final class GpAttendanceValueSets {

    public static final String BASE = ConformanceResources.CANONICAL_BASE + "/benchmark/cql/ValueSet/";
    static final String GP_ATTENDANCE = "gp-attendance";

    /** The placeholder of an empty value set (see {@link #valueSet}): no Encounter carries a code of this system. */
    static final String NO_CODE_SYSTEM = ConformanceResources.CANONICAL_BASE + "/benchmark/cql/CodeSystem/no-code";

    static final String NO_CODE = "none";
    static final String NO_CODE_DISPLAY = "No code (stands for an empty value set)";

    private GpAttendanceValueSets() {}

    /** Reads the ConceptMaps the server packages (conformance/mappings/*.json) and derives the value sets. */
    public static List<ValueSet> fromClasspath(FhirContext fhirContext) {
        List<ConceptMap> maps = new ArrayList<>();
        for (ConformanceResources.ClasspathFile file :
                ConformanceResources.read("classpath*:conformance/mappings/*.json")) {
            if (fhirContext.newJsonParser().parseResource(file.text()) instanceof ConceptMap map) {
                maps.add(map);
            }
        }
        return from(maps);
    }

    static List<ValueSet> from(List<ConceptMap> maps) {
        ConceptMap typeMap = ConceptMaps.byId(maps, "encounter-type-to-category");
        ConceptMap serviceTypeMap = ConceptMaps.byId(maps, "encounter-service-type-to-category");
        ConceptMap classMap = ConceptMaps.byId(maps, "encounter-class-to-category");
        requireNoUnmappedRule(typeMap);
        requireNoUnmappedRule(serviceTypeMap);
        requireNoConditions(typeMap);
        requireNoConditions(serviceTypeMap);
        requireClassesPlain(classMap);

        Map<Key, Mapped> types = categories(typeMap);
        Map<Key, Mapped> serviceTypes = categories(serviceTypeMap);
        Map<Key, Mapped> classes = categories(classMap);
        return List.of(
                valueSet(
                        "categorised-types",
                        "Encounter types mapped to a category",
                        "Every Encounter.type code that " + typeMap.getUrl() + " maps to an encounter category.",
                        types,
                        false),
                valueSet(
                        "gp-attendance-types",
                        "Encounter types of a GP attendance",
                        "The Encounter.type codes that " + typeMap.getUrl() + " maps to gp-attendance.",
                        types,
                        true),
                valueSet(
                        "categorised-service-types",
                        "Encounter service types mapped to a category",
                        "Every Encounter.serviceType code that " + serviceTypeMap.getUrl()
                                + " maps to an encounter category.",
                        serviceTypes,
                        false),
                valueSet(
                        "gp-attendance-service-types",
                        "Encounter service types of a GP attendance",
                        "The Encounter.serviceType codes that " + serviceTypeMap.getUrl() + " maps to gp-attendance.",
                        serviceTypes,
                        true),
                valueSet(
                        "gp-attendance-classes",
                        "Encounter classes of a GP attendance",
                        "The Encounter.class codes that " + classMap.getUrl() + " maps to gp-attendance.",
                        classes,
                        true));
    }

    private record Key(String system, String code) {}

    /** A source code's category, and its display in the map. */
    private record Mapped(String category, String display) {}

    /** Each source code of the map, in the map's order, with the category it translates to (without conditions). */
    private static Map<Key, Mapped> categories(ConceptMap map) {
        Map<Key, List<TargetElementComponent>> targets = new LinkedHashMap<>();
        Map<Key, String> displays = new LinkedHashMap<>();
        for (ConceptMapGroupComponent group : map.getGroup()) {
            for (SourceElementComponent element : group.getElement()) {
                Key key = new Key(group.getSource(), element.getCode());
                targets.computeIfAbsent(key, k -> new ArrayList<>()).addAll(element.getTarget());
                displays.putIfAbsent(key, element.getDisplay());
            }
        }
        Map<Key, Mapped> categories = new LinkedHashMap<>();
        targets.forEach((key, list) -> list.stream()
                .filter(t -> !t.hasDependsOn() && ConceptMaps.isMapping(t))
                .map(TargetElementComponent::getCode)
                .findFirst()
                .ifPresent(category -> categories.put(key, new Mapped(category, displays.get(key)))));
        return categories;
    }

    private static ValueSet valueSet(
            String id, String title, String description, Map<Key, Mapped> categories, boolean gpOnly) {
        ValueSet valueSet = new ValueSet();
        valueSet.setId(id);
        valueSet.setUrl(BASE + id);
        valueSet.setName(toName(id));
        valueSet.setTitle(title);
        valueSet.setStatus(PublicationStatus.ACTIVE);
        valueSet.setExperimental(true);
        valueSet.setDescription(description + " Derived at run time for the benchmark's CQL baseline; not part of the"
                + " project's conformance content.");
        ValueSet.ValueSetExpansionComponent expansion = valueSet.getExpansion();
        expansion.setTimestamp(new Date());
        categories.forEach((key, mapped) -> {
            if (gpOnly && !GP_ATTENDANCE.equals(mapped.category())) {
                return;
            }
            String display = mapped.display();
            expansion.addContains().setSystem(key.system()).setCode(key.code()).setDisplay(display);
            ValueSet.ConceptSetComponent include = valueSet.getCompose().getInclude().stream()
                    .filter(i -> i.getSystem().equals(key.system()))
                    .findFirst()
                    .orElseGet(() -> valueSet.getCompose().addInclude().setSystem(key.system()));
            include.addConcept().setCode(key.code()).setDisplay(display);
        });
        if (!expansion.hasContains()) {
            // Clinical reasoning 4.4.0 reads an expansion with no codes as no expansion at all, and then fails
            // ("Failed to expand ValueSet"); a code of a system no Encounter carries keeps the set empty in effect.
            expansion.addContains().setSystem(NO_CODE_SYSTEM).setCode(NO_CODE).setDisplay(NO_CODE_DISPLAY);
            valueSet.getCompose()
                    .addInclude()
                    .setSystem(NO_CODE_SYSTEM)
                    .addConcept()
                    .setCode(NO_CODE)
                    .setDisplay(NO_CODE_DISPLAY);
            valueSet.setDescription(valueSet.getDescription() + " The map has no such code: the one code listed, of a"
                    + " system no Encounter carries, stands for none.");
        }
        expansion.setTotal(expansion.getContains().size());
        return valueSet;
    }

    private static String toName(String id) {
        StringBuilder name = new StringBuilder("BenchmarkCql");
        for (String part : id.split("-")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    private static void requireNoUnmappedRule(ConceptMap map) {
        for (ConceptMapGroupComponent group : map.getGroup()) {
            if (group.hasUnmapped() && group.getUnmapped().getMode() == ConceptMapGroupUnmappedMode.FIXED) {
                throw unsupported(
                        map,
                        "an unmapped rule for " + group.getSource()
                                + " (every code of that system would be mapped, which a value set of listed codes cannot"
                                + " say)");
            }
        }
    }

    private static void requireNoConditions(ConceptMap map) {
        for (ConceptMapGroupComponent group : map.getGroup()) {
            for (SourceElementComponent element : group.getElement()) {
                if (element.getTarget().stream().anyMatch(TargetElementComponent::hasDependsOn)) {
                    throw unsupported(map, "a conditional target for " + group.getSource() + "|" + element.getCode());
                }
            }
        }
    }

    /**
     * The class map may send inpatient classes to admissions on conditions (those are never GP attendances), but a
     * class that reaches gp-attendance must do so without conditions and with no conditional target that could
     * override it, and the unmapped rule must not send classes to gp-attendance.
     */
    private static void requireClassesPlain(ConceptMap map) {
        for (ConceptMapGroupComponent group : map.getGroup()) {
            if (group.hasUnmapped()
                    && group.getUnmapped().getMode() == ConceptMapGroupUnmappedMode.FIXED
                    && GP_ATTENDANCE.equals(group.getUnmapped().getCode())) {
                throw unsupported(map, "an unmapped rule sending " + group.getSource() + " codes to gp-attendance");
            }
            for (SourceElementComponent element : group.getElement()) {
                boolean gp = element.getTarget().stream()
                        .anyMatch(t -> ConceptMaps.isMapping(t) && Objects.equals(GP_ATTENDANCE, t.getCode()));
                boolean conditional = element.getTarget().stream().anyMatch(TargetElementComponent::hasDependsOn);
                if (gp && conditional) {
                    throw unsupported(
                            map,
                            "a class (" + element.getCode() + ") that is a GP attendance or not depending on"
                                    + " conditions");
                }
            }
        }
    }

    private static IllegalStateException unsupported(ConceptMap map, String what) {
        return new IllegalStateException(map.getUrl() + " has " + what + "; the CQL baseline's value sets cannot"
                + " express it, so its cohort would differ from the server's classification");
    }
}
