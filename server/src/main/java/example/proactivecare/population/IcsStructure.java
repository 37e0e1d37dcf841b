package example.proactivecare.population;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The organisations of the generated ICS: one ICB, a North and a South locality (seed 002 ranks practices in the north
 * and the south), PCNs of 5–7 practices, practices of about 8,500 patients (PRODUCT.md: 8,000–9,000), and two acute
 * trusts for ED attendances and admissions. ODS-like codes are obviously synthetic: ZZ for practices, ZZU for PCNs,
 * ZZL for localities, ZZR for trusts and QZZ for the ICB.
 */
final class IcsStructure {

    static final int PATIENTS_PER_PRACTICE = 8_500;
    static final int PATIENTS_PER_GP = 1_800;
    static final int NURSES_PER_PRACTICE = 2;

    record Organisation(String ods, String name, String partOf) {
        String id() {
            return "org-" + ods;
        }
    }

    record Practice(
            int number, String ods, String name, String pcnOds, int locality, int firstPatient, int patients, int gps) {
        String id() {
            return "org-" + ods;
        }
    }

    record Pcn(String ods, String name, int locality, List<Practice> practices) {
        String id() {
            return "org-" + ods;
        }
    }

    final Organisation icb;
    final List<Organisation> localities;
    final List<Organisation> trusts;
    final List<Pcn> pcns;
    final List<Practice> practices;

    private IcsStructure(
            Organisation icb,
            List<Organisation> localities,
            List<Organisation> trusts,
            List<Pcn> pcns,
            List<Practice> practices) {
        this.icb = icb;
        this.localities = localities;
        this.trusts = trusts;
        this.pcns = pcns;
        this.practices = practices;
    }

    static IcsStructure generate(long seed, int patients) {
        SplittableRandom random = Randoms.stream(seed, -1);
        Organisation icb = new Organisation("QZZ", "NHS Synthetic Shire Integrated Care Board", null);
        List<Organisation> localities = List.of(
                new Organisation("ZZL01", "Synthetic Shire North Locality", icb.ods()),
                new Organisation("ZZL02", "Synthetic Shire South Locality", icb.ods()));
        List<Organisation> trusts = List.of(
                new Organisation("ZZR01", "Synthetic Shire North Hospitals NHS Trust", null),
                new Organisation("ZZR02", "Synthetic Shire South Hospitals NHS Trust", null));

        int practiceCount = Math.max(1, (int) Math.round(patients / (double) PATIENTS_PER_PRACTICE));
        int[] sizes = listSizes(random, patients, practiceCount);
        int pcnCount = Math.max(1, (int) Math.round(practiceCount / 6.0));
        int[] pcnSizes = new int[pcnCount];
        for (int i = 0; i < practiceCount; i++) {
            pcnSizes[i % pcnCount]++;
        }
        shuffle(random, pcnSizes);

        List<Practice> practices = new ArrayList<>();
        List<Pcn> pcns = new ArrayList<>();
        int next = 0;
        int firstPatient = 0;
        for (int p = 0; p < pcnCount; p++) {
            int locality = p < (pcnCount + 1) / 2 ? 0 : 1;
            String pcnOds = String.format("ZZU%03d", p + 1);
            String town = Names.PLACES.get(p % Names.PLACES.size());
            List<Practice> members = new ArrayList<>();
            for (int k = 0; k < pcnSizes[p]; k++, next++) {
                String ods = String.format("ZZ%04d", next + 1);
                String name = Names.any(random, Names.PLACES) + " " + Names.any(random, Names.PRACTICE_SUFFIXES);
                int gps = Math.max(1, (int) Math.round(sizes[next] / (double) PATIENTS_PER_GP));
                Practice practice = new Practice(next, ods, name, pcnOds, locality, firstPatient, sizes[next], gps);
                members.add(practice);
                practices.add(practice);
                firstPatient += sizes[next];
            }
            pcns.add(new Pcn(
                    pcnOds,
                    town + (p >= Names.PLACES.size() ? " " + (p / Names.PLACES.size() + 1) : "") + " PCN",
                    locality,
                    List.copyOf(members)));
        }
        return new IcsStructure(icb, localities, trusts, List.copyOf(pcns), List.copyOf(practices));
    }

    /** List sizes within ±5.5% of the mean (about 8,050–9,000 at the mean of 8,500), summing to the population. */
    private static int[] listSizes(SplittableRandom random, int patients, int practiceCount) {
        double[] weights = new double[practiceCount];
        for (int i = 0; i < practiceCount; i++) {
            weights[i] = 1 + (random.nextDouble() - 0.5) * 0.11;
        }
        double total = Randoms.sum(weights);
        int[] sizes = new int[practiceCount];
        int assigned = 0;
        for (int i = 0; i < practiceCount; i++) {
            sizes[i] = (int) Math.floor(patients * weights[i] / total);
            assigned += sizes[i];
        }
        for (int i = 0; assigned < patients; i = (i + 1) % practiceCount) {
            sizes[i]++;
            assigned++;
        }
        return sizes;
    }

    private static void shuffle(SplittableRandom random, int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    Practice practiceOf(int patientIndex) {
        int low = 0;
        int high = practices.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (practices.get(mid).firstPatient() <= patientIndex) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return practices.get(low);
    }
}
