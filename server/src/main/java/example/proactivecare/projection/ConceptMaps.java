package example.proactivecare.projection;

import example.proactivecare.conformance.ConformanceResources;
import java.util.List;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;

/** How the project reads its ConceptMaps in {@code mappings/}, wherever they are read (projection, generator, CQL). */
public final class ConceptMaps {

    /** The canonical base of the project's ConceptMaps: a map's URL is this plus its id. */
    public static final String BASE = ConformanceResources.CANONICAL_BASE + "/ConceptMap/";

    private ConceptMaps() {}

    /** The project's ConceptMap with this id; fails when it is not among {@code maps}. */
    public static ConceptMap byId(List<ConceptMap> maps, String id) {
        return maps.stream()
                .filter(m -> (BASE + id).equals(m.getUrl()))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalStateException("The ConceptMap " + BASE + id + " is not on the classpath"));
    }

    /** Whether a target maps its source: it has a code and is neither unmatched nor disjoint. */
    public static boolean isMapping(TargetElementComponent target) {
        return target.hasCode()
                && target.getEquivalence() != ConceptMapEquivalence.UNMATCHED
                && target.getEquivalence() != ConceptMapEquivalence.DISJOINT;
    }
}
