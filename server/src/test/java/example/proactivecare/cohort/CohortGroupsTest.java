package example.proactivecare.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Group.GroupMemberComponent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CohortGroupsTest {

    private static CohortRequest request(String periodEnd) {
        return new CohortRequest(
                "gp-frequent-attender", "pcn-1", LocalDate.parse(periodEnd), 12, CohortRequest.Thresholds.DEFAULTS);
    }

    private static MemberFigures figures(String patient, int gpAttendances) {
        return new MemberFigures(
                patient, 80, gpAttendances, Map.of("telephone", gpAttendances), 0, 0, 3, 0, 4, 2, true);
    }

    private static GroupMemberComponent member(Group group, String patient) {
        return group.getMember().stream()
                .filter(m -> m.getEntity().getReference().equals("Patient/" + patient))
                .findFirst()
                .orElseThrow();
    }

    @Nested
    class AFirstDerivation {

        @Test
        void addsEveryQualifyingPatientFromTheLastDayOfTheWindow() {
            // when
            CohortGroups.Refresh refresh = CohortGroups.refresh(
                    null,
                    request("2021-12-31"),
                    "GP frequent attender, PCN 1",
                    List.of(figures("b", 30), figures("a", 21)));

            // then
            Group group = refresh.group();
            assertThat(refresh.entered()).isEqualTo(2);
            assertThat(group.getMember())
                    .extracting(m -> m.getEntity().getReference())
                    .containsExactly("Patient/a", "Patient/b");
            assertThat(member(group, "a").getPeriod().getStartElement().getValueAsString())
                    .isEqualTo("2021-12-31");
            assertThat(group.getIdentifierFirstRep().getValue()).isEqualTo("gp-frequent-attender|Organization/pcn-1");
            assertThat(group.getQuantity()).isEqualTo(2);
        }

        @Test
        void setsTheRiskFlagsFromTheFiguresAndThresholds() {
            Group group = CohortGroups.refresh(null, request("2021-12-31"), "n", List.of(figures("a", 21)))
                    .group();

            assertThat(member(group, "a").getExtensionsByUrl(CohortGroups.RISK_FLAG))
                    .extracting(e -> ((Coding) e.getValue()).getCode())
                    .containsExactly("age-over-75", "frequent-999-111", "multiple-ltcs", "psychosocial");
        }
    }

    @Nested
    class ARefresh {

        private final Group before = CohortGroups.refresh(
                        null, request("2021-12-31"), "n", List.of(figures("stays", 25), figures("goes", 22)))
                .group();

        @Test
        void keepsALeaverListedAsInactiveWithTheEndOfTheirEpisode() {
            // when
            CohortGroups.Refresh refresh =
                    CohortGroups.refresh(before, request("2022-06-30"), "n", List.of(figures("stays", 26)));

            // then
            assertThat(refresh.left()).isEqualTo(1);
            assertThat(refresh.stayed()).isEqualTo(1);
            GroupMemberComponent gone = member(refresh.group(), "goes");
            assertThat(gone.getInactive()).isTrue();
            assertThat(gone.getPeriod().getEndElement().getValueAsString()).isEqualTo("2022-06-30");
            assertThat(refresh.group().getQuantity()).isEqualTo(1);
        }

        @Test
        void letsALeaverReEnterWithANewEpisodeAndOneMoreEntry() {
            // given
            Group afterLeaving = CohortGroups.refresh(before, request("2022-06-30"), "n", List.of(figures("stays", 26)))
                    .group();

            // when
            CohortGroups.Refresh refresh = CohortGroups.refresh(
                    afterLeaving, request("2022-12-31"), "n", List.of(figures("stays", 26), figures("goes", 30)));

            // then
            GroupMemberComponent back = member(refresh.group(), "goes");
            assertThat(refresh.entered()).isEqualTo(1);
            assertThat(back.getInactive()).isFalse();
            assertThat(back.getPeriod().getStartElement().getValueAsString()).isEqualTo("2022-12-31");
            assertThat(back.getPeriod().hasEnd()).isFalse();
            assertThat(CohortGroups.entries(back)).isEqualTo(2);
        }

        @Test
        void keepsTheMdtReviewOfAMemberWhoseFiguresChange() {
            // given
            member(before, "stays")
                    .addExtension()
                    .setUrl(CohortGroups.REVIEW)
                    .addExtension("decision", new Coding(CohortService.MDT_DECISION_SYSTEM, "reject", null));

            // when
            Group after = CohortGroups.refresh(before, request("2022-06-30"), "n", List.of(figures("stays", 40)))
                    .group();

            // then
            GroupMemberComponent stays = member(after, "stays");
            assertThat(stays.getExtensionByUrl(CohortGroups.REVIEW)).isNotNull();
            assertThat(stays.getExtensionsByUrl(CohortGroups.FIGURES)).hasSize(1);
        }
    }
}
