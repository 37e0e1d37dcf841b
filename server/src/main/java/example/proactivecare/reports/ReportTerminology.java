package example.proactivecare.reports;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import example.proactivecare.conformance.ConformanceContent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Measure;

/**
 * What the ICS reports read from the conformance files the server is built with (never repeated in code): the
 * indicators of CodeSystem ics-indicator with the Measure that defines each, the cohort an indicator counts, the GP
 * appointment modes that are face-to-face, and the Measure of the access report.
 */
record ReportTerminology(Map<String, Indicator> indicators, List<String> faceToFaceModes, Measure access) {

    static final String FACE_TO_FACE_SHARE = "face-to-face-share";
    static final String ACCESS_MEASURE = "gp-access";
    static final String COHORT_KIND_PROPERTY = "cohort-kind";

    /**
     * An indicator practices are ranked by.
     *
     * @param cohortKind the cohort whose registered members it counts; null for the face-to-face share
     * @param highestFirst whether a higher score is worse, so ranks first (its Measure's improvementNotation is
     *     decrease)
     */
    record Indicator(String code, String display, String cohortKind, Measure measure, boolean highestFirst) {}

    static ReportTerminology of(ConformanceContent content) {
        Map<String, Indicator> indicators = new LinkedHashMap<>();
        for (CodeSystem.ConceptDefinitionComponent concept :
                content.codeSystem("ics-indicator").getConcept()) {
            String cohortKind = concept.getProperty().stream()
                    .filter(p -> COHORT_KIND_PROPERTY.equals(p.getCode()))
                    .map(p -> p.getValueCodeType().getCode())
                    .findFirst()
                    .orElse(null);
            if (cohortKind == null && !FACE_TO_FACE_SHARE.equals(concept.getCode())) {
                throw new IllegalStateException("The indicator " + concept.getCode()
                        + " of CodeSystem ics-indicator names no cohort-kind, and only " + FACE_TO_FACE_SHARE
                        + " is computed from attendances");
            }
            Measure measure = measure(content, concept.getCode(), cohortKind == null ? 2 : 1);
            String notation =
                    measure.getImprovementNotation().getCodingFirstRep().getCode();
            if (!"increase".equals(notation) && !"decrease".equals(notation)) {
                throw new IllegalStateException(
                        "The Measure " + measure.getUrl() + " must say its improvementNotation (increase or decrease)");
            }
            indicators.put(
                    concept.getCode(),
                    new Indicator(
                            concept.getCode(), concept.getDisplay(), cohortKind, measure, "decrease".equals(notation)));
        }
        if (!indicators.containsKey(FACE_TO_FACE_SHARE)) {
            throw new IllegalStateException("CodeSystem ics-indicator has no " + FACE_TO_FACE_SHARE);
        }
        Measure access = measure(content, ACCESS_MEASURE, 2);
        access.getGroup().forEach(group -> {
            if (!group.hasStratifier()) {
                throw new IllegalStateException("Every group of the Measure " + access.getUrl() + " is by month");
            }
        });
        return new ReportTerminology(indicators, codes(content, "face-to-face-modes"), access);
    }

    /** The Measure of an id, which must have the groups the reports fill in, in order. */
    private static Measure measure(ConformanceContent content, String id, int groups) {
        String url = CANONICAL_BASE + "/Measure/" + id;
        Measure measure = content.resources(Measure.class).stream()
                .filter(m -> url.equals(m.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The Measure " + url + " is missing from profiles/"));
        if (measure.getGroup().size() != groups) {
            throw new IllegalStateException("The Measure " + url + " must have " + groups + " groups");
        }
        return measure;
    }

    /** The codes a value set lists. */
    private static List<String> codes(ConformanceContent content, String id) {
        return content.listedCodes(id).stream().map(c -> c.getCode()).toList();
    }
}
