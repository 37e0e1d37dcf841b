package example.proactivecare.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order practices are ranked in, and the exact comparison of scores behind it. */
class RankingTest {

    private static Ranking.Candidate practice(String id, String ods, String group, long numerator, long denominator) {
        return new Ranking.Candidate(id, ods, group, new Ratio(numerator, denominator), numerator);
    }

    private static List<String> order(List<Ranking.Candidate> candidates, boolean highestFirst) {
        return candidates.stream()
                .sorted(Ranking.order(highestFirst))
                .map(Ranking.Candidate::practice)
                .toList();
    }

    @Test
    void scoresThatAreEqualAsFractionsAreTiedWhateverTheirRounding() {
        // 1/3 and 2/6 tie and go to the count; 333/1000 is lower than 1/3 although both round to 333.33 per 1,000
        List<Ranking.Candidate> candidates = List.of(
                practice("a", "Z1", "g", 1, 3), practice("b", "Z2", "g", 2, 6), practice("c", "Z3", "g", 333, 1000));

        assertThat(order(candidates, true)).containsExactly("b", "a", "c");
        assertThat(order(candidates, false)).containsExactly("c", "a", "b");
    }

    @Test
    void aTieInScoreAndCountGoesByOdsCodeThenIdAndPracticesWithoutACodeComeLast() {
        List<Ranking.Candidate> candidates = List.of(
                practice("d", null, "g", 1, 2),
                practice("c", "Z2", "g", 1, 2),
                practice("b", "Z1", "g", 1, 2),
                practice("a", null, "g", 1, 2));

        assertThat(order(candidates, true)).containsExactly("b", "c", "a", "d");
    }

    @Test
    void practicesWithNoScoreRankLastInEitherDirection() {
        List<Ranking.Candidate> candidates = List.of(
                practice("empty", "Z0", "g", 0, 0),
                practice("low", "Z1", "g", 0, 5),
                practice("high", "Z2", "g", 5, 5));

        assertThat(order(candidates, true)).containsExactly("high", "low", "empty");
        assertThat(order(candidates, false)).containsExactly("low", "high", "empty");
    }

    @Test
    void eachGroupIsRankedFromOneWithARankPerPractice() {
        Map<String, List<Ranking.Ranked>> ranked = Ranking.rank(
                List.of(
                        practice("n1", "N1", "north", 1, 2),
                        practice("s1", "S1", "south", 3, 4),
                        practice("n2", "N2", "north", 1, 2),
                        practice("n3", "N3", "north", 2, 2)),
                true);

        assertThat(ranked).containsOnlyKeys("north", "south");
        assertThat(ranked.get("north"))
                .extracting(r -> r.candidate().practice() + " " + r.rank() + "/" + r.of())
                .containsExactly("n3 1/3", "n1 2/3", "n2 3/3");
        assertThat(ranked.get("south"))
                .extracting(r -> r.candidate().practice() + " " + r.rank() + "/" + r.of())
                .containsExactly("s1 1/1");
    }

    @Test
    void ratiosScaleAndRoundHalfUp() {
        assertThat(new Ratio(1, 8).scaled(1000, 2)).hasToString("125.00");
        assertThat(new Ratio(1, 3).scaled(100, 1)).hasToString("33.3");
        assertThat(new Ratio(2, 3).scaled(100, 1)).hasToString("66.7");
        assertThat(new Ratio(38, 36).variancePercent()).hasToString("5.6");
        assertThat(new Ratio(9, 10).variancePercent()).hasToString("-10.0");
    }
}
