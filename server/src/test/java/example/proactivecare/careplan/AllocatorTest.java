package example.proactivecare.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.careplan.Allocator.Candidate;
import example.proactivecare.careplan.Allocator.RiskType;
import example.proactivecare.careplan.Allocator.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AllocatorTest {

    static final String GP = "sct|62247001";
    static final String NURSE = "sct|159002008";
    static final String PHARMACIST = "sct|734293001";
    static final String COORDINATOR = "sct|768820003";
    static final String LINK_WORKER = "care-role|social-prescribing-link-worker";
    static final Set<String> CLINICAL = Set.of(GP, NURSE, PHARMACIST);
    static final Set<String> PSYCHOSOCIAL = Set.of(COORDINATOR, LINK_WORKER);

    private static Allocator allocator(Role... roles) {
        return new Allocator(List.of(roles), CLINICAL, PSYCHOSOCIAL);
    }

    private static Candidate patient(String id, RiskType risk) {
        return new Candidate(id, "practice", "pcn", risk);
    }

    private static String lead(Allocator allocator, Candidate candidate) {
        Allocator.Allocation allocation = allocator.allocate(candidate);
        return allocation.allocated() ? allocation.lead().id() : null;
    }

    @Nested
    class ByRiskType {

        private final Allocator allocator = allocator(
                new Role("gp", "practice", Set.of(GP), 5, 0), new Role("cc", "pcn", Set.of(COORDINATOR), 5, 0));

        @Test
        void clinicalRiskGoesToAClinicalRole() {
            assertThat(lead(allocator, patient("a", RiskType.CLINICAL))).isEqualTo("gp");
        }

        @Test
        void psychosocialRiskGoesToAPsychosocialRole() {
            assertThat(lead(allocator, patient("a", RiskType.PSYCHOSOCIAL))).isEqualTo("cc");
        }

        @Test
        void noFlagGoesToTheCareCoordinationRoles() {
            assertThat(lead(allocator, patient("a", RiskType.NONE))).isEqualTo("cc");
        }
    }

    @Nested
    class ByCapacity {

        @Test
        void theRoleWithTheMostFreeCapacityLeadsAndTiesGoToTheLowestId() {
            Allocator allocator = allocator(
                    new Role("gp-b", "practice", Set.of(GP), 10, 2),
                    new Role("gp-a", "practice", Set.of(GP), 10, 2),
                    new Role("nurse", "practice", Set.of(NURSE), 10, 5));

            assertThat(lead(allocator, patient("1", RiskType.CLINICAL))).isEqualTo("gp-a");
            assertThat(lead(allocator, patient("2", RiskType.CLINICAL))).isEqualTo("gp-b");
            assertThat(lead(allocator, patient("3", RiskType.CLINICAL))).isEqualTo("gp-a");
        }

        @Test
        void thePracticeComesBeforeThePcnEvenWithLessRoom() {
            Allocator allocator = allocator(
                    new Role("pcn-pharmacist", "pcn", Set.of(PHARMACIST), 50, 0),
                    new Role("gp", "practice", Set.of(GP), 2, 1));

            assertThat(lead(allocator, patient("1", RiskType.CLINICAL))).isEqualTo("gp");
            assertThat(lead(allocator, patient("2", RiskType.CLINICAL))).isEqualTo("pcn-pharmacist");
        }

        @Test
        void nobodyIsAllocatedOverCapacity() {
            Allocator allocator = allocator(new Role("gp", "practice", Set.of(GP), 3, 0));

            List<String> leads = List.of("1", "2", "3", "4", "5").stream()
                    .map(p -> lead(allocator, patient(p, RiskType.CLINICAL)))
                    .toList();

            assertThat(leads).containsExactly("gp", "gp", "gp", null, null);
            assertThat(allocator.free("gp")).isZero();
        }

        @Test
        void aRoleAlreadyAtOrOverCapacityTakesNobody() {
            Allocator allocator = allocator(new Role("gp", "practice", Set.of(GP), 3, 4));

            assertThat(lead(allocator, patient("1", RiskType.CLINICAL))).isNull();
        }

        @Test
        void aRoleWithoutCapacityIsNeverALead() {
            Allocator allocator = allocator(new Role("gp", "practice", Set.of(GP), 0, 0));

            assertThat(lead(allocator, patient("1", RiskType.CLINICAL))).isNull();
        }
    }

    @Nested
    class Workers {

        @Test
        void theMedicationReviewGoesToAPharmacistWithoutUsingTheirCapacity() {
            Allocator allocator = allocator(new Role("pharmacist", "pcn", Set.of(PHARMACIST), 1, 1));

            assertThat(allocator.worker(patient("1", RiskType.CLINICAL), PHARMACIST))
                    .map(Role::id)
                    .contains("pharmacist");
            assertThat(allocator.free("pharmacist")).isZero();
        }

        @Test
        void thereIsNoWorkerWhenNeitherPracticeNorPcnHasTheRole() {
            Allocator allocator = allocator(new Role("gp", "practice", Set.of(GP), 1, 0));

            assertThat(allocator.worker(patient("1", RiskType.CLINICAL), LINK_WORKER))
                    .isEmpty();
        }
    }
}
