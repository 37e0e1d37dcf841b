package example.proactivecare.cohort;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Group.GroupMemberComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UnsignedIntType;

/**
 * What other features read from, and write on, the members of a stored cohort Group: each member's risk flags, figures
 * and MDT decision, and how their care plan ended.
 */
public final class CohortMembers {

    static final String CARE_OUTCOME = CANONICAL_BASE + "/StructureDefinition/cohort-member-care-outcome";
    static final String REVIEW_OUTCOME_SYSTEM = CANONICAL_BASE + "/CodeSystem/review-outcome";

    /**
     * One member as the Group lists them.
     *
     * @param riskFlags codes of the risk-flag CodeSystem
     * @param distinctMedications the member's distinct medications in the cohort's window, when the Group says
     * @param decision the MDT's latest decision (a code of mdt-decision: confirm or reject), or null when none
     */
    public record Member(
            String patient, boolean active, List<String> riskFlags, Integer distinctMedications, String decision) {}

    private CohortMembers() {}

    /** Whether the Group is a cohort derived by {@code $frequent-attenders} (it carries the cohort identifier). */
    public static boolean isCohort(Group group) {
        return identifier(group).isPresent();
    }

    /** The cohort identifier's value, such as {@code gp-frequent-attender|Organization/x}. */
    public static Optional<String> identifier(Group group) {
        return group.getIdentifier().stream()
                .filter(i -> CohortGroups.IDENTIFIER_SYSTEM.equals(i.getSystem()))
                .map(i -> i.getValue())
                .findFirst();
    }

    /** Every member listed, active or not, in the Group's order. */
    public static List<Member> read(Group group) {
        List<Member> members = new ArrayList<>(group.getMember().size());
        for (GroupMemberComponent member : group.getMember()) {
            String patient = member.getEntity().getReferenceElement().getIdPart();
            if (patient == null
                    || !"Patient"
                            .equals(member.getEntity().getReferenceElement().getResourceType())) {
                continue;
            }
            List<String> flags = member.getExtensionsByUrl(CohortGroups.RISK_FLAG).stream()
                    .map(e -> e.getValue() instanceof Coding c ? c.getCode() : null)
                    .filter(c -> c != null)
                    .toList();
            Integer medications = null;
            Extension figures = member.getExtensionByUrl(CohortGroups.FIGURES);
            if (figures != null) {
                Extension count = figures.getExtensionByUrl("distinctMedications");
                if (count != null && count.getValue() instanceof UnsignedIntType value) {
                    medications = value.getValue();
                }
            }
            String decision = null;
            Extension review = member.getExtensionByUrl(CohortGroups.REVIEW);
            if (review != null) {
                Extension value = review.getExtensionByUrl("decision");
                if (value != null && value.getValue() instanceof Coding c) {
                    decision = c.getCode();
                }
            }
            members.add(new Member(patient, !member.getInactive(), flags, medications, decision));
        }
        return members;
    }

    /**
     * Ends a member's episode because their care plan was completed at its review (step down or discharge): the
     * member stays listed, inactive, with the date as the end of its period and the outcome on it
     * ({@code cohort-member-care-outcome}, replacing an earlier one), so that re-entry at a later refresh is possible
     * and visible. Answers false when the patient is not an active member.
     */
    static boolean endWithCareOutcome(
            Group group, String patient, String outcome, LocalDate date, Reference carePlan, Reference review) {
        Optional<GroupMemberComponent> found = group.getMember().stream()
                .filter(m -> patient.equals(m.getEntity().getReferenceElement().getIdPart()) && !m.getInactive())
                .findFirst();
        if (found.isEmpty()) {
            return false;
        }
        GroupMemberComponent member = found.get();
        DateTimeType when = new DateTimeType(date.toString());
        member.setInactive(true);
        member.getPeriod().setEndElement(when);
        member.getExtension().removeIf(e -> CARE_OUTCOME.equals(e.getUrl()));
        Extension careOutcome = member.addExtension().setUrl(CARE_OUTCOME);
        careOutcome.addExtension("outcome", new Coding(REVIEW_OUTCOME_SYSTEM, outcome, null));
        careOutcome.addExtension("date", when);
        careOutcome.addExtension("carePlan", carePlan);
        if (review != null) {
            careOutcome.addExtension("review", review);
        }
        group.setQuantity(
                (int) group.getMember().stream().filter(m -> !m.getInactive()).count());
        return true;
    }
}
