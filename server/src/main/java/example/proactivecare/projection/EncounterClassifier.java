package example.proactivecare.projection;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;

/**
 * Classifies an Encounter into its encounter category and, for a GP attendance, its GPAD appointment mode, by the
 * ConceptMaps in {@code mappings/} and nothing else: the rules live in the maps, this class only applies their order.
 *
 * <ul>
 *   <li>A cancelled or entered-in-error encounter is {@code not-an-appointment}, whatever its codes.
 *   <li>Category: the first {@code type} coding that {@code encounter-type-to-category} maps; else the first {@code
 *       serviceType} coding that {@code encounter-service-type-to-category} maps; else its {@code class} by {@code
 *       encounter-class-to-category} (whose conditions read {@code priority} and {@code hospitalization.admitSource});
 *       else {@code unclassified}.
 *   <li>Mode, for a GP attendance only: the first {@code type} coding that {@code encounter-type-to-gp-appointment-mode}
 *       maps; else its class by {@code encounter-class-to-gp-appointment-mode}; else {@code unknown}.
 * </ul>
 */
public final class EncounterClassifier {

    static final String BASE = "https://proactivecare.example/fhir/ConceptMap/";
    static final String UNCLASSIFIED = "unclassified";
    static final String NOT_AN_APPOINTMENT = "not-an-appointment";
    static final String GP_ATTENDANCE = "gp-attendance";
    static final String UNKNOWN_MODE = "unknown";

    /** An encounter's category, and its mode when it is a GP attendance (otherwise null). */
    public record Classification(String category, String mode) {}

    private final ConceptMapLookup typeToCategory;
    private final ConceptMapLookup serviceTypeToCategory;
    private final ConceptMapLookup classToCategory;
    private final ConceptMapLookup typeToMode;
    private final ConceptMapLookup classToMode;

    public EncounterClassifier(List<ConceptMap> conceptMaps) {
        Map<String, ConceptMap> byUrl =
                conceptMaps.stream().collect(Collectors.toMap(ConceptMap::getUrl, Function.identity()));
        this.typeToCategory = lookup(byUrl, "encounter-type-to-category");
        this.serviceTypeToCategory = lookup(byUrl, "encounter-service-type-to-category");
        this.classToCategory = lookup(byUrl, "encounter-class-to-category");
        this.typeToMode = lookup(byUrl, "encounter-type-to-gp-appointment-mode");
        this.classToMode = lookup(byUrl, "encounter-class-to-gp-appointment-mode");
    }

    private static ConceptMapLookup lookup(Map<String, ConceptMap> byUrl, String id) {
        ConceptMap map = byUrl.get(BASE + id);
        if (map == null) {
            throw new IllegalStateException("The ConceptMap " + BASE + id + " is missing from mappings/");
        }
        return new ConceptMapLookup(map);
    }

    public Classification classify(Encounter encounter) {
        if (encounter.getStatus() == EncounterStatus.CANCELLED
                || encounter.getStatus() == EncounterStatus.ENTEREDINERROR) {
            return new Classification(NOT_AN_APPOINTMENT, null);
        }
        ConceptMapLookup.Properties properties = property -> switch (property) {
            case "Encounter.priority" -> encounter.getPriority().getCoding();
            case "Encounter.hospitalization.admitSource" ->
                encounter.getHospitalization().getAdmitSource().getCoding();
            default -> List.of();
        };
        List<Coding> types = codings(encounter.getType());
        String category = typeToCategory
                .translateFirst(types, properties)
                .or(() -> serviceTypeToCategory.translateFirst(
                        encounter.getServiceType().getCoding(), properties))
                .or(() -> classToCategory.translate(encounter.getClass_(), properties))
                .orElse(UNCLASSIFIED);
        if (!GP_ATTENDANCE.equals(category)) {
            return new Classification(category, null);
        }
        String mode = typeToMode
                .translateFirst(types, properties)
                .or(() -> classToMode.translate(encounter.getClass_(), properties))
                .orElse(UNKNOWN_MODE);
        return new Classification(category, mode);
    }

    private static List<Coding> codings(List<CodeableConcept> concepts) {
        return concepts.stream().flatMap(c -> c.getCoding().stream()).toList();
    }
}
