package example.proactivecare.cohort;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.database.SqlFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The code lists the cohorts use, read from the terminology files the server is built with (never repeated in code):
 * the cohort kinds, the MDT decisions and reasons, and the codes of the long-term-conditions and
 * psychosocial-risk-factors value sets.
 */
record CohortTerminology(
        Map<String, String> cohortKinds,
        Set<String> mdtDecisions,
        Set<String> mdtDecisionReasons,
        List<String> longTermConditions,
        List<String> psychosocialRiskFactors) {

    static final String MDT_DECISION_REASON_SYSTEM = CANONICAL_BASE + "/CodeSystem/mdt-decision-reason";

    static CohortTerminology of(ConformanceContent content) {
        Map<String, String> kinds = new LinkedHashMap<>();
        content.codeSystem("cohort-kind").getConcept().forEach(c -> kinds.put(c.getCode(), c.getDisplay()));
        for (String kind : kinds.keySet()) {
            for (String file : List.of(kind, "candidates-" + kind)) {
                if (!SqlFiles.exists(CohortQueries.class, file)) {
                    throw new IllegalStateException("The cohort kind " + kind + " of CodeSystem/cohort-kind has no "
                            + file + ".sql beside " + CohortQueries.class.getName());
                }
            }
        }
        return new CohortTerminology(
                kinds,
                content.codeSystemCodes("mdt-decision"),
                content.codeSystemCodes("mdt-decision-reason"),
                expansion(content, "long-term-conditions"),
                expansion(content, "psychosocial-risk-factors"));
    }

    /** The codes a value set lists, as {@code system|code}. */
    private static List<String> expansion(ConformanceContent content, String id) {
        return content.listedCodes(id).stream()
                .map(c -> c.getSystem() + "|" + c.getCode())
                .toList();
    }
}
