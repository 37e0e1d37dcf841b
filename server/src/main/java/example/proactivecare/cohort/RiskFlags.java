package example.proactivecare.cohort;

import java.util.ArrayList;
import java.util.List;

/** A member's risk flags for MDT validation (PRODUCT.md §2), as codes of the risk-flag CodeSystem. */
final class RiskFlags {

    private RiskFlags() {}

    static List<String> of(MemberFigures f, CohortRequest.Thresholds t) {
        List<String> flags = new ArrayList<>();
        if (f.age() != null && f.age() > t.ageOver()) {
            flags.add("age-over-75");
        }
        if (f.contacts999() + f.contacts111() >= t.minUrgentCareContacts()) {
            flags.add("frequent-999-111");
        }
        if (f.longTermConditions() >= t.minLongTermConditions()) {
            flags.add("multiple-ltcs");
        }
        if (f.psychosocial()) {
            flags.add("psychosocial");
        }
        if (f.distinctMedications() >= t.minMedications() || f.unplannedAdmissions() >= t.minUnplannedAdmissions()) {
            flags.add("clinical-pharmaceutical");
        }
        return flags;
    }
}
