package example.proactivecare.careplan;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import example.proactivecare.conformance.ConformanceContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The codes care plans are built from, read from the terminology files the server is built with (never repeated in
 * code): which care roles lead which risk, the clinical pharmacist and social prescribing link worker roles, the task
 * kinds, the review outcomes, the plan category and the awaiting-capacity status reason. The server does not start
 * when a code the plans depend on is missing from them.
 *
 * @param clinicalLeads the care roles that lead clinical or pharmaceutical risk, as {@code system|code}
 * @param psychosocialLeads the care roles that lead psychosocial risk (and care with no flag), as {@code system|code}
 */
record CarePlanTerminology(
        Set<String> clinicalLeads,
        Set<String> psychosocialLeads,
        Coding clinicalPharmacist,
        Coding linkWorker,
        Coding whatMattersConversation,
        Coding checkIn,
        Coding review,
        Coding medicationReview,
        Coding socialPrescribingReferral,
        Set<String> reviewOutcomes,
        Coding planCategory,
        Coding awaitingCapacity) {

    static final String TASK_KIND_SYSTEM = CANONICAL_BASE + "/CodeSystem/task-kind";
    static final String REVIEW_OUTCOME_SYSTEM = CANONICAL_BASE + "/CodeSystem/review-outcome";
    static final String RISK_FLAG_SYSTEM = CANONICAL_BASE + "/CodeSystem/risk-flag";
    static final String CLINICAL_FLAG = "clinical-pharmaceutical";
    static final String PSYCHOSOCIAL_FLAG = "psychosocial";
    static final String CONTINUE = "continue";
    static final String STEP_DOWN = "step-down";
    static final String DISCHARGE = "discharge";

    static CarePlanTerminology of(ConformanceContent content) {
        Set<String> riskFlags = content.codeSystemCodes("risk-flag");
        for (String flag : List.of(CLINICAL_FLAG, PSYCHOSOCIAL_FLAG)) {
            require(riskFlags.contains(flag), "CodeSystem risk-flag has no " + flag);
        }
        Set<String> outcomes = content.codeSystemCodes("review-outcome");
        require(
                outcomes.equals(Set.of(CONTINUE, STEP_DOWN, DISCHARGE)),
                "CodeSystem review-outcome must hold exactly continue, step-down and discharge, which the review"
                        + " of a care plan acts on; it holds " + outcomes);
        return new CarePlanTerminology(
                keys(includedCodes(content, "clinical-care-roles")),
                keys(includedCodes(content, "psychosocial-care-roles")),
                byDisplay(content, "care-roles", "Clinical pharmacist"),
                byDisplay(content, "care-roles", "Social prescribing link worker"),
                byCode(content, "task-kinds", TASK_KIND_SYSTEM, "what-matters-conversation"),
                byCode(content, "task-kinds", TASK_KIND_SYSTEM, "check-in"),
                byCode(content, "task-kinds", TASK_KIND_SYSTEM, "review"),
                byDisplay(content, "task-kinds", "Structured medication review"),
                byDisplay(content, "task-kinds", "Referral to social prescribing service"),
                outcomes,
                byCode(content, "care-plan-categories", CANONICAL_BASE + "/CodeSystem/care-plan-category", "pcsp"),
                byCode(
                        content,
                        "care-plan-status-reasons",
                        CANONICAL_BASE + "/CodeSystem/care-plan-status-reason",
                        "awaiting-capacity"));
    }

    /** Whether a coding is this one (same system and code). */
    static boolean is(Coding coding, Coding expected) {
        return expected.getSystem().equals(coding.getSystem())
                && expected.getCode().equals(coding.getCode());
    }

    static String key(Coding coding) {
        return coding.getSystem() + "|" + coding.getCode();
    }

    private static Set<String> keys(List<Coding> codings) {
        return codings.stream().map(CarePlanTerminology::key).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Every code a value set includes: the concepts it lists, and all of a project CodeSystem it includes whole, with
     * their displays.
     */
    static List<Coding> includedCodes(ConformanceContent content, String valueSetId) {
        String url = CANONICAL_BASE + "/ValueSet/" + valueSetId;
        ValueSet valueSet = content.resources(ValueSet.class).stream()
                .filter(v -> url.equals(v.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The ValueSet " + url + " is missing"));
        List<Coding> codes = new ArrayList<>();
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (include.hasConcept()) {
                include.getConcept()
                        .forEach(c -> codes.add(new Coding(include.getSystem(), c.getCode(), c.getDisplay())));
            } else {
                CodeSystem whole = content.resources(CodeSystem.class).stream()
                        .filter(c -> include.getSystem().equals(c.getUrl()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("The ValueSet " + url + " includes all of "
                                + include.getSystem() + ", which is not a CodeSystem of the project"));
                whole.getConcept()
                        .forEach(c -> codes.add(new Coding(include.getSystem(), c.getCode(), c.getDisplay())));
            }
        }
        return codes;
    }

    private static Coding byDisplay(ConformanceContent content, String valueSetId, String display) {
        return includedCodes(content, valueSetId).stream()
                .filter(c -> c.getDisplay() != null
                        && c.getDisplay().toLowerCase(Locale.ROOT).equals(display.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("The ValueSet " + valueSetId + " has no code for '" + display + "'"));
    }

    private static Coding byCode(ConformanceContent content, String valueSetId, String system, String code) {
        return includedCodes(content, valueSetId).stream()
                .filter(c -> system.equals(c.getSystem()) && code.equals(c.getCode()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "The ValueSet " + valueSetId + " does not include " + system + "|" + code));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
