package example.proactivecare.careplan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Allocates caseloads (NHS England winter plan, step 2): for each patient in turn, the lead is the eligible role with
 * the most free caseload capacity in the patient's practice, or when none there has any, in its PCN; ties go to the
 * lowest role id. A patient no eligible role has room for gets no lead (their plan waits for capacity): nobody is ever
 * allocated over a role's capacity. Capacity taken by one patient is gone for the next, so the order of the patients
 * matters and is the caller's.
 *
 * <p>Which roles are eligible depends on the risk type: clinical or pharmaceutical risk is led by the clinical care
 * roles; psychosocial risk, and a patient with neither flag, by the psychosocial (care coordination) roles. The
 * structured medication review and the social prescribing referral go to the clinical pharmacist and the link worker
 * with the most free capacity (practice, then PCN), without using it up: capacity counts the plans a role leads.
 */
final class Allocator {

    /** Which roles can lead a patient's plan. */
    enum RiskType {
        CLINICAL("clinical"),
        PSYCHOSOCIAL("psychosocial"),
        NONE("none");

        final String code;

        RiskType(String code) {
            this.code = code;
        }
    }

    /**
     * A care role as allocation sees it.
     *
     * @param codes the role's codes, as {@code system|code}
     * @param capacity the most active plans it can lead (0 when it declares no capacity)
     * @param inUse the active plans it leads now
     */
    record Role(String id, String organization, Set<String> codes, int capacity, int inUse) {}

    /**
     * A patient to allocate.
     *
     * @param practice the registered practice; {@code pcn} the organisation it is part of (either may be null)
     */
    record Candidate(String patient, String practice, String pcn, RiskType riskType) {}

    /** The outcome for one patient: a lead, or none (awaiting capacity). */
    record Allocation(Candidate candidate, Role lead) {

        boolean allocated() {
            return lead != null;
        }
    }

    private final Map<String, List<Role>> rolesByOrganization = new HashMap<>();
    private final Map<String, Integer> free = new HashMap<>();
    private final Map<RiskType, Set<String>> leads;

    /**
     * @param roles every care role of the patients' practices and PCNs
     * @param clinicalLeads the codes of roles that lead clinical risk; {@code psychosocialLeads} psychosocial risk
     */
    Allocator(List<Role> roles, Set<String> clinicalLeads, Set<String> psychosocialLeads) {
        for (Role role : roles) {
            rolesByOrganization
                    .computeIfAbsent(role.organization(), o -> new ArrayList<>())
                    .add(role);
            free.put(role.id(), Math.max(0, role.capacity() - role.inUse()));
        }
        this.leads = Map.of(
                RiskType.CLINICAL, clinicalLeads,
                RiskType.PSYCHOSOCIAL, psychosocialLeads,
                RiskType.NONE, psychosocialLeads);
    }

    /** Allocates the patient's lead, taking one place of its capacity; no lead when no eligible role has room. */
    Allocation allocate(Candidate candidate) {
        Set<String> eligible = leads.get(candidate.riskType());
        Optional<Role> lead =
                mostFree(candidate.practice(), eligible, true).or(() -> mostFree(candidate.pcn(), eligible, true));
        lead.ifPresent(role -> free.merge(role.id(), -1, Integer::sum));
        return new Allocation(candidate, lead.orElse(null));
    }

    /**
     * The role with a code that owns a piece of work (a medication review, a referral) for the patient: the one with
     * the most free capacity in the practice, else in the PCN, full or not; none when neither has such a role.
     */
    Optional<Role> worker(Candidate candidate, String code) {
        Set<String> codes = Set.of(code);
        return mostFree(candidate.practice(), codes, false).or(() -> mostFree(candidate.pcn(), codes, false));
    }

    /** Free capacity left now. */
    int free(String roleId) {
        return free.getOrDefault(roleId, 0);
    }

    private Optional<Role> mostFree(String organization, Set<String> eligible, boolean withRoom) {
        if (organization == null) {
            return Optional.empty();
        }
        return rolesByOrganization.getOrDefault(organization, List.of()).stream()
                .filter(role -> role.codes().stream().anyMatch(eligible::contains))
                .filter(role -> !withRoom || free(role.id()) > 0)
                .min(Comparator.<Role>comparingInt(role -> -free(role.id())).thenComparing(Role::id));
    }
}
