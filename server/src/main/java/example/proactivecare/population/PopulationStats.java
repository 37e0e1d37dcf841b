package example.proactivecare.population;

import java.util.List;

/**
 * Streaming counts over what was written, kept per practice file and merged in practice order (all whole numbers, so
 * the merge order cannot change a result). Nothing here holds patients.
 */
final class PopulationStats {

    static final List<String> CATEGORIES = List.of(
            EncounterTemplates.GP_ATTENDANCE,
            EncounterTemplates.NOT_AN_APPOINTMENT,
            EncounterTemplates.ED,
            EncounterTemplates.UNPLANNED_ADMISSION,
            "planned-admission",
            EncounterTemplates.CONTACT_111,
            EncounterTemplates.CONTACT_999,
            EncounterTemplates.UNCLASSIFIED);

    /** Annual GP attendances in the last 12 months: one bucket per count, the last holding everything above. */
    static final int HISTOGRAM_SIZE = 4096;

    final long[] resources = new long[FhirWriter.Type.values().length];
    long bundles;
    long patients;
    long deaths;
    final long[] deathsByYear;
    /** Days alive within the window, over all patients. */
    long patientDays;

    final long[] categories = new long[CATEGORIES.size()];
    final long[] modes = new long[EncounterTemplates.MODES.size()];
    final long[] gpByMonth;
    final long[][] modeByMonth;
    final long[] edByMonth;

    /** Patients alive at the start of the last 12 months, by their GP attendances in those months. */
    final long[] gpHistogram = new long[HISTOGRAM_SIZE];
    /** Their ED attendances in those months, summed by the same bucket. */
    final long[] edByGpBucket = new long[HISTOGRAM_SIZE];
    /** GP attendances of the patients in the last bucket (their exact total). */
    long overflowGp;

    long over75;
    long over75TenPlus;
    long over75Medicines;
    long twoPlusLtcs;
    long over75TwoPlusLtcs;

    final long[] defects = new long[PatientRecord.Defect.values().length];

    PopulationStats(int months, int years) {
        this.deathsByYear = new long[years];
        this.gpByMonth = new long[months];
        this.modeByMonth = new long[months][EncounterTemplates.MODES.size()];
        this.edByMonth = new long[months];
    }

    void merge(PopulationStats other) {
        add(resources, other.resources);
        bundles += other.bundles;
        patients += other.patients;
        deaths += other.deaths;
        add(deathsByYear, other.deathsByYear);
        patientDays += other.patientDays;
        add(categories, other.categories);
        add(modes, other.modes);
        add(gpByMonth, other.gpByMonth);
        for (int m = 0; m < modeByMonth.length; m++) {
            add(modeByMonth[m], other.modeByMonth[m]);
        }
        add(edByMonth, other.edByMonth);
        add(gpHistogram, other.gpHistogram);
        add(edByGpBucket, other.edByGpBucket);
        overflowGp += other.overflowGp;
        over75 += other.over75;
        over75TenPlus += other.over75TenPlus;
        over75Medicines += other.over75Medicines;
        twoPlusLtcs += other.twoPlusLtcs;
        over75TwoPlusLtcs += other.over75TwoPlusLtcs;
        add(defects, other.defects);
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    long totalResources() {
        long total = 0;
        for (long count : resources) {
            total += count;
        }
        return total;
    }

    /** Mean GP attendances a patient-year, over the time each patient was alive in the window. */
    double gpPerPatientYear() {
        return patientDays == 0 ? 0 : categories[0] / (patientDays / 365.2425);
    }

    /** The top 1% of patients (alive at the start of the last 12 months) by GP attendances in those months. */
    record TopPercent(long patients, double meanGp, double meanEd, int threshold) {}

    TopPercent topPercent() {
        long population = 0;
        for (long count : gpHistogram) {
            population += count;
        }
        long wanted = Math.max(1, Math.round(population * 0.01));
        long taken = 0;
        double gp = 0;
        double ed = 0;
        int threshold = 0;
        for (int bucket = HISTOGRAM_SIZE - 1; bucket >= 0 && taken < wanted; bucket--) {
            long count = gpHistogram[bucket];
            if (count == 0) {
                continue;
            }
            long take = Math.min(count, wanted - taken);
            double fraction = take / (double) count;
            double bucketGp = bucket == HISTOGRAM_SIZE - 1 ? overflowGp : (double) bucket * count;
            gp += bucketGp * fraction;
            ed += edByGpBucket[bucket] * fraction;
            taken += take;
            threshold = bucket;
        }
        return new TopPercent(taken, taken == 0 ? 0 : gp / taken, taken == 0 ? 0 : ed / taken, threshold);
    }
}
