package example.proactivecare.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order practices are ranked in, worst first (rank 1 is the practice most in need of support), the same for every
 * indicator and for the bottom 20% of the access report:
 *
 * <ol>
 *   <li>practices with a score before those without one (no registered patients, or no attendances for a share);
 *   <li>the score: highest first when a higher score is worse (frequent attenders per 1,000), lowest first otherwise
 *       (the face-to-face share); compared exactly, not as rounded;
 *   <li>the count, in the same direction: more frequent attenders, or fewer face-to-face attendances, first;
 *   <li>the ODS code, alphabetically (practices without one after those with one); then the id.
 * </ol>
 *
 * Every practice gets a rank of its own, 1, 2, 3, ..., within its group.
 */
final class Ranking {

    /**
     * A practice to rank.
     *
     * @param group the organisation it is ranked within
     * @param count the count the tie-break uses (the score's numerator)
     */
    record Candidate(String practice, String odsCode, String group, Ratio score, long count) {}

    /** A ranked practice: its rank within its group, and how many practices the group ranks. */
    record Ranked(Candidate candidate, int rank, int of) {}

    private Ranking() {}

    static Comparator<Candidate> order(boolean highestFirst) {
        Comparator<Candidate> byScore = (a, b) -> {
            if (a.score().defined() != b.score().defined()) {
                return a.score().defined() ? -1 : 1;
            }
            if (!a.score().defined()) {
                return 0;
            }
            int compared = a.score().compareScore(b.score());
            return highestFirst ? -compared : compared;
        };
        Comparator<Candidate> byCount = Comparator.comparingLong(Candidate::count);
        return byScore.thenComparing(highestFirst ? byCount.reversed() : byCount)
                .thenComparing(Candidate::odsCode, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Candidate::practice);
    }

    /** The candidates of each group in rank order; groups in the order they are first met. */
    static Map<String, List<Ranked>> rank(List<Candidate> candidates, boolean highestFirst) {
        Map<String, List<Candidate>> groups = new LinkedHashMap<>();
        candidates.forEach(
                c -> groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
        Map<String, List<Ranked>> ranked = new LinkedHashMap<>();
        groups.forEach((group, members) -> {
            List<Candidate> ordered =
                    members.stream().sorted(order(highestFirst)).toList();
            List<Ranked> ranks = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                ranks.add(new Ranked(ordered.get(i), i + 1, ordered.size()));
            }
            ranked.put(group, ranks);
        });
        return ranked;
    }
}
