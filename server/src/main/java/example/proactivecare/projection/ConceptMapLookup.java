package example.proactivecare.projection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupUnmappedMode;
import org.hl7.fhir.r4.model.ConceptMap.OtherElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;

/**
 * One ConceptMap, indexed for translating codings in memory, with the R4 semantics the project's maps use: a target
 * with {@code dependsOn} applies only when every one of its conditions holds, and is preferred over a target without
 * conditions; {@code unmatched} and {@code disjoint} targets are no mapping; a group's {@code unmapped} rule (mode
 * {@code fixed}) answers for codes of that group's source system that no element lists.
 */
final class ConceptMapLookup {

    /** The value of a dependsOn property (such as {@code Encounter.priority}) on the thing being translated. */
    @FunctionalInterface
    interface Properties extends Function<String, List<Coding>> {}

    private final String url;
    private final Map<String, Map<String, List<TargetElementComponent>>> targetsBySystemAndCode = new HashMap<>();
    private final Map<String, String> unmappedBySystem = new HashMap<>();

    ConceptMapLookup(ConceptMap map) {
        this.url = map.getUrl();
        for (ConceptMapGroupComponent group : map.getGroup()) {
            var bySource = targetsBySystemAndCode.computeIfAbsent(group.getSource(), s -> new HashMap<>());
            for (SourceElementComponent element : group.getElement()) {
                bySource.computeIfAbsent(element.getCode(), c -> new java.util.ArrayList<>())
                        .addAll(element.getTarget());
            }
            if (group.hasUnmapped() && group.getUnmapped().getMode() == ConceptMapGroupUnmappedMode.FIXED) {
                unmappedBySystem.put(group.getSource(), group.getUnmapped().getCode());
            }
        }
    }

    String url() {
        return url;
    }

    /** The target code for the first of the codings that the map translates, in the order given. */
    Optional<String> translateFirst(List<Coding> codings, Properties properties) {
        for (Coding coding : codings) {
            Optional<String> target = translate(coding, properties);
            if (target.isPresent()) {
                return target;
            }
        }
        return Optional.empty();
    }

    /** The coding's target: a listed element's target, else the group's unmapped rule, else none. */
    Optional<String> translate(Coding coding, Properties properties) {
        if (coding == null || !coding.hasSystem() || !coding.hasCode()) {
            return Optional.empty();
        }
        var bySource = targetsBySystemAndCode.get(coding.getSystem());
        List<TargetElementComponent> targets = bySource == null ? null : bySource.get(coding.getCode());
        if (targets != null) {
            Optional<String> conditional = targets.stream()
                    .filter(t -> t.hasDependsOn() && ConceptMaps.isMapping(t))
                    .filter(t -> t.getDependsOn().stream().allMatch(d -> holds(d, properties)))
                    .map(TargetElementComponent::getCode)
                    .findFirst();
            if (conditional.isPresent()) {
                return conditional;
            }
            Optional<String> plain = targets.stream()
                    .filter(t -> !t.hasDependsOn() && ConceptMaps.isMapping(t))
                    .map(TargetElementComponent::getCode)
                    .findFirst();
            if (plain.isPresent()) {
                return plain;
            }
        }
        return Optional.ofNullable(unmappedBySystem.get(coding.getSystem()));
    }

    /** Whether the map has an unmapped rule for codes of this system: then every coding of it translates. */
    boolean hasUnmappedRuleFor(String system) {
        return unmappedBySystem.containsKey(system);
    }

    private static boolean holds(OtherElementComponent condition, Properties properties) {
        return properties.apply(condition.getProperty()).stream()
                .anyMatch(c -> (!condition.hasSystem() || condition.getSystem().equals(c.getSystem()))
                        && condition.getValue().equals(c.getCode()));
    }
}
