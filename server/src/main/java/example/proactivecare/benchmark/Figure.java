package example.proactivecare.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One line of the benchmark table: a measurement of this server next to the same measurement of its baseline, taken
 * on the same machine in the same run, each as the median of its rounds.
 *
 * @param name what is measured
 * @param unit the unit of both figures
 * @param ours the rounds measured on this server
 * @param baseline the rounds measured on the baseline (empty when a figure has none)
 * @param baselineName what the baseline is
 */
record Figure(String name, String unit, List<Double> ours, List<Double> baseline, String baselineName) {

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** This server's median over the baseline's. */
    double ratio() {
        return median(ours) / median(baseline);
    }

    String markdownRow() {
        String ratio = baseline.isEmpty() ? "" : String.format(Locale.UK, "%.2f×", ratio());
        return "| " + name + " | " + format(median(ours)) + " " + unit + " | "
                + (baseline.isEmpty() ? "" : format(median(baseline)) + " " + unit) + " | " + baselineName + " | "
                + ratio + " | " + rounds(ours) + (baseline.isEmpty() ? "" : " vs " + rounds(baseline)) + " |";
    }

    static String header() {
        return "| figure | this server (median) | baseline (median) | baseline | ratio | rounds |\n"
                + "|---|---|---|---|---|---|";
    }

    private static String rounds(List<Double> values) {
        return values.stream().map(Figure::format).collect(Collectors.joining(", "));
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.UK, Math.abs(value) >= 100 ? "%,.0f" : "%.1f", value);
    }
}
