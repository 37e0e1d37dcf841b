package example.proactivecare.population;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code summary.md} and {@code summary.json}: the calibration figures, computed from what was written, next to the
 * seed figures they aim at and where each target comes from. Only the time taken and the number of threads differ
 * between two runs with the same options.
 */
final class Summary {

    private Summary() {}

    /** A calibration figure: what was generated, what it aims at, and the source of the aim. */
    record Figure(String name, String generated, String target, String source) {}

    static void write(Path out, PopulationGenerator.Result result, Duration elapsed) throws IOException {
        PopulationStats stats = result.stats();
        Window window = result.window();
        double patientYears = stats.patientDays / 365.2425;
        PopulationStats.TopPercent top = stats.topPercent();
        double scale = Calibration.SEED_POPULATION / (double) Math.max(1, stats.patients);

        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure(
                "Mean GP consultations per patient-year",
                fixed(stats.gpPerPatientYear(), 2),
                "4–5 (the monthly table below: 4.0)",
                "seed 004: 300,000–390,000 a month for ~1.1M patients; PRODUCT.md §4: 4–5 million a year"));
        figures.add(new Figure(
                "Top 1% by GP consultations in the last 12 months: mean GP consultations",
                fixed(top.meanGp(), 1),
                "~90",
                "seed 001: 600 people (1% of an area) had 54,000 GP encounters in 12 months"));
        figures.add(new Figure(
                "Top 1% by GP consultations in the last 12 months: mean ED attendances",
                fixed(top.meanEd(), 2), "~3", "seed 001: the same 600 people had 1,925 ED attendances (3.2 each)"));
        figures.add(faceToFace(stats, window, YearMonth.of(2021, 8)));
        figures.add(faceToFace(stats, window, YearMonth.of(2021, 9)));
        figures.add(new Figure(
                "Over-75s with 10+ distinct medicines in the last 12 months",
                percent(stats.over75TenPlus, stats.over75) + " (mean "
                        + fixed(ratio(stats.over75Medicines, stats.over75), 1) + ")",
                "10–20% (estimate)",
                "HSE 2013: over a third of people aged 75+ took 6+ prescribed medicines in a week; CFAS II (Age and Ageing"
                        + " 2017): 49% of people aged 65+ took 5+ medicines"));
        figures.add(new Figure(
                "Deaths per 1,000 patient-years",
                fixed(1000 * stats.deaths / Math.max(1e-9, patientYears), 1),
                "~9–10 (2020–21 higher)",
                "ONS: England's crude death rate about 9 per 1,000 a year; excess deaths of the 2020–21 waves"));
        figures.add(rate(
                "ED attendances per patient-year",
                stats,
                EncounterTemplates.ED,
                patientYears,
                "~0.4",
                "NHS England A&E attendances 2019-20: about 25 million for 56 million people"));
        figures.add(rate(
                "Unplanned admissions per patient-year",
                stats,
                EncounterTemplates.UNPLANNED_ADMISSION,
                patientYears,
                "~0.1",
                "NHS England emergency admissions 2019-20: about 6.4 million"));
        figures.add(rate(
                "NHS 111 contacts per patient-year",
                stats,
                EncounterTemplates.CONTACT_111,
                patientYears,
                "~0.35",
                "NHS 111: about 20 million calls a year"));
        figures.add(rate(
                "999 contacts per patient-year",
                stats,
                EncounterTemplates.CONTACT_999,
                patientYears,
                "~0.15",
                "Ambulance services: about 9 million incidents a year"));
        figures.add(new Figure(
                "Patients alive at --end with 2+ long-term conditions (over-75s)",
                percent(stats.twoPlusLtcs, stats.patients - stats.deaths) + " ("
                        + percent(stats.over75TwoPlusLtcs, stats.over75) + ")",
                "about a quarter (about two thirds)",
                "Barnett et al., Lancet 2012: multimorbidity in 23% of all ages, 65% at 65–84, 82% at 85+"));

        List<Map<String, Object>> monthly = new ArrayList<>();
        for (int m = 0; m < window.months.size(); m++) {
            YearMonth month = window.months.get(m);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("month", month.toString());
            row.put("gpConsultations", stats.gpByMonth[m]);
            row.put("scaledTo1100000", Math.round(stats.gpByMonth[m] * scale));
            row.put("target", Calibration.gpConsultations(month));
            OptionalInt seed = Calibration.seedConsultations(month);
            row.put("seed004", seed.isPresent() ? seed.getAsInt() : null);
            row.put("faceToFaceShare", share(stats.modeByMonth[m][0], stats.gpByMonth[m]));
            row.put("faceToFaceTarget", Calibration.faceToFaceShare(month));
            OptionalInt seedShare = Calibration.seedFaceToFace(month);
            row.put("faceToFaceSeed004", seedShare.isPresent() ? seedShare.getAsInt() / 1000.0 : null);
            row.put("edAttendances", stats.edByMonth[m]);
            monthly.add(row);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("options", Manifest.options(result.options()));
        json.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        Map<String, Object> population = new LinkedHashMap<>();
        population.put("patients", stats.patients);
        population.put("practices", result.structure().practices.size());
        population.put("pcns", result.structure().pcns.size());
        population.put("localities", result.structure().localities.size());
        population.put("patientYears", round(patientYears, 1));
        population.put("deaths", stats.deaths);
        Map<String, Long> deathsByYear = new LinkedHashMap<>();
        for (int y = 0; y < stats.deathsByYear.length; y++) {
            deathsByYear.put(Integer.toString(window.start.getYear() + y), stats.deathsByYear[y]);
        }
        population.put("deathsByYear", deathsByYear);
        population.put("over75AliveAtEnd", stats.over75);
        json.put("population", population);
        List<Map<String, String>> calibration = new ArrayList<>();
        for (Figure figure : figures) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("figure", figure.name());
            row.put("generated", figure.generated());
            row.put("target", figure.target());
            row.put("source", figure.source());
            calibration.add(row);
        }
        json.put("calibration", calibration);
        json.put(
                "topPercent",
                Map.of(
                        "patients",
                        top.patients(),
                        "meanGp",
                        round(top.meanGp(), 2),
                        "meanEd",
                        round(top.meanEd(), 3),
                        "threshold",
                        top.threshold()));
        json.put("monthly", monthly);
        json.put("encountersByCategory", categories(stats));
        json.put("gpAttendancesByMode", modes(stats));
        json.put("resourcesByType", Manifest.byType(stats.resources));
        json.put("totalResources", stats.totalResources());
        json.put("totalBundles", stats.bundles);
        json.put("plantedDefects", defects(stats));
        Files.writeString(out.resolve("summary.json"), Manifest.JSON.writeValueAsString(json) + "\n");
        Files.writeString(out.resolve("summary.md"), markdown(result, figures, monthly, top, elapsed, patientYears));
    }

    private static String markdown(
            PopulationGenerator.Result result,
            List<Figure> figures,
            List<Map<String, Object>> monthly,
            PopulationStats.TopPercent top,
            Duration elapsed,
            double patientYears) {
        PopulationStats stats = result.stats();
        GeneratorOptions options = result.options();
        StringBuilder md = new StringBuilder();
        md.append("# Synthetic ICS population: summary\n\n");
        md.append(String.format(
                Locale.UK,
                "Generated by `generate --patients %d --seed %d --start %s --end %s --defect-rate %s"
                        + " --patients-per-bundle %d` in %s (%d threads). Every figure below is computed from what was"
                        + " written.\n\n",
                options.patients(),
                options.seed(),
                options.start(),
                options.end(),
                options.defectRate(),
                options.patientsPerBundle(),
                clock(elapsed),
                options.threads()));
        md.append(String.format(
                Locale.UK,
                "%,d patients in %d practices, %d PCNs and %d localities of one ICB; %,.0f patient-years; %,d deaths"
                        + " (%s); %,d bundles, %,d resources.\n\n",
                stats.patients,
                result.structure().practices.size(),
                result.structure().pcns.size(),
                result.structure().localities.size(),
                patientYears,
                stats.deaths,
                deathsByYear(stats, result.window()),
                stats.bundles,
                stats.totalResources()));

        md.append("## Calibration\n\n| figure | generated | target | source of the target |\n|---|---|---|---|\n");
        for (Figure figure : figures) {
            md.append("| ")
                    .append(figure.name())
                    .append(" | ")
                    .append(figure.generated())
                    .append(" | ")
                    .append(figure.target())
                    .append(" | ")
                    .append(figure.source())
                    .append(" |\n");
        }
        md.append(String.format(
                Locale.UK,
                "\nThe top 1%% is the %,d patients (of those registered at the start of the last 12 months, %s to %s)"
                        + " with the most GP consultations in those months: %d or more.\n\n",
                top.patients(),
                result.window().date(result.window().lastYearStart),
                result.window().end,
                top.threshold()));

        md.append("## GP consultations by month, scaled to 1.1 million patients\n\n");
        md.append("Seed 004's table (Staffordshire and Stoke-on-Trent, EMIS practices, June–October) next to what was"
                + " generated, scaled to 1,100,000 patients. The other months' targets are estimates (see"
                + " `Calibration.java`).\n\n");
        md.append("| month | generated (scaled) | seed 004 | generated / seed |\n|---|---|---|---|\n");
        for (Map<String, Object> row : monthly) {
            if (row.get("seed004") != null) {
                long scaled = (Long) row.get("scaledTo1100000");
                int seed = (Integer) row.get("seed004");
                md.append(String.format(
                        Locale.UK,
                        "| %s | %,d | %,d | %.3f |\n",
                        row.get("month"),
                        scaled,
                        seed,
                        scaled / (double) seed));
            }
        }
        md.append("\n## All months: consultations and face-to-face share\n\n");
        md.append(
                "Face-to-face is GPAD's face-to-face at the surgery (home visits are their own mode), as a share of all"
                        + " GP attendances. Seed 004: 55.2% in August and 61.4% in September 2021 (Staffordshire and"
                        + " Stoke-on-Trent, NHS Digital via HSJ); about 80% before the pandemic and about 45% in spring 2020"
                        + " are the brief's; the other months are estimates.\n\n");
        md.append("| month | consultations | scaled to 1.1M | target | face-to-face | target | seed 004 |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : monthly) {
            md.append(String.format(
                    Locale.UK,
                    "| %s | %,d | %,d | %,d | %s | %s | %s |\n",
                    row.get("month"),
                    (Long) row.get("gpConsultations"),
                    (Long) row.get("scaledTo1100000"),
                    (Integer) row.get("target"),
                    percentText((Double) row.get("faceToFaceShare")),
                    percentText((Double) row.get("faceToFaceTarget")),
                    row.get("faceToFaceSeed004") == null ? "" : percentText((Double) row.get("faceToFaceSeed004"))));
        }

        md.append("\n## Encounters by category and mode\n\n");
        md.append("As the server's projection classifies them (every encounter shape is checked against the"
                + " ConceptMaps with the server's own classifier before anything is written).\n\n");
        md.append("| category | encounters |\n|---|---|\n");
        categories(stats)
                .forEach((category, count) -> md.append(String.format(Locale.UK, "| %s | %,d |\n", category, count)));
        md.append("\n| GP attendance mode | attendances | share |\n|---|---|---|\n");
        long gp = stats.categories[0];
        modes(stats)
                .forEach((mode, count) ->
                        md.append(String.format(Locale.UK, "| %s | %,d | %s |\n", mode, count, percent(count, gp))));

        md.append("\n## Resources by type\n\n| type | resources |\n|---|---|\n");
        Manifest.byType(stats.resources)
                .forEach((type, count) -> md.append(String.format(Locale.UK, "| %s | %,d |\n", type, count)));
        md.append(String.format(Locale.UK, "| total | %,d |\n", stats.totalResources()));

        md.append(String.format(
                Locale.UK,
                "\n## Planted data-quality defects\n\nEach kind is planted in a patient's record with probability"
                        + " --defect-rate (%s); all are valid FHIR.\n\n| defect | planted |\n|---|---|\n",
                options.defectRate()));
        defects(stats).forEach((kind, count) -> md.append(String.format(Locale.UK, "| %s | %,d |\n", kind, count)));

        md.append("\n## Where the targets come from\n\n");
        md.append("- **Seed 004** (Staffordshire and Stoke-on-Trent General Practice Access Plan, update for OSC,"
                + " 29/12/21): monthly consultations June–October 2019, 2020 and 2021; face-to-face share 55.2% in"
                + " August and 61.4% in September 2021.\n");
        md.append("- **Seed 001** (NHS England winter plan, Pulse): about 600 people, 1% of an area, had 1,925 ED"
                + " attendances and 54,000 GP encounters in 12 months.\n");
        md.append("- **PRODUCT.md §4**: about 1.1 million patients in practices of 8,000–9,000; 4–5 million GP"
                + " consultations a year.\n");
        md.append("- **Age pyramid**: ONS mid-2019 population estimates for England by five-year band. **Deaths**: a"
                + " Gompertz curve through ONS National Life Tables for England 2017–2019, with the excess of the"
                + " 2020–21 waves.\n");
        md.append(
                "- **GP use by age and sex**: the shape of Hobbs et al., Lancet 2016 (CPRD 2007–2014). **Heavy"
                        + " tail**: a lognormal latent level, σ = 1.45 (top 1% about 19× the mean), Poisson counts; the closed cohort's deaths are made up by raising the survivors' rates (see `Calibration.closedCohortCorrection`).\n");
        md.append("- **Conditions**: the project's value sets, with prevalence by age near QOF 2019-20 England"
                + " (`conditions.tsv`). **Medicines**: real dm+d VMP codes from OpenSAFELY/Bennett Institute code lists"
                + " (`dmd-medicines.tsv` names each list).\n");
        md.append("- **Urgent care**: approximate NHS England annual figures for 2019-20 (A&E, emergency admissions,"
                + " NHS 111, ambulance), with the spring 2020 fall.\n");
        return md.toString();
    }

    private static Figure faceToFace(PopulationStats stats, Window window, YearMonth month) {
        int index = window.months.indexOf(month);
        String generated =
                index < 0 ? "(not generated)" : percentText(share(stats.modeByMonth[index][0], stats.gpByMonth[index]));
        return new Figure(
                "Face-to-face share, " + month,
                generated,
                percentText(Calibration.seedFaceToFace(month).getAsInt() / 1000.0),
                "seed 004: Staffordshire and Stoke-on-Trent, NHS Digital figures reported by HSJ");
    }

    private static Figure rate(
            String name, PopulationStats stats, String category, double patientYears, String target, String source) {
        long count = stats.categories[PopulationStats.CATEGORIES.indexOf(category)];
        return new Figure(name, fixed(count / Math.max(1e-9, patientYears), 3), target, source);
    }

    private static Map<String, Long> categories(PopulationStats stats) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < PopulationStats.CATEGORIES.size(); i++) {
            map.put(PopulationStats.CATEGORIES.get(i), stats.categories[i]);
        }
        return map;
    }

    private static Map<String, Long> modes(PopulationStats stats) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < EncounterTemplates.MODES.size(); i++) {
            map.put(EncounterTemplates.MODES.get(i), stats.modes[i]);
        }
        return map;
    }

    private static Map<String, Long> defects(PopulationStats stats) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (PatientRecord.Defect defect : PatientRecord.Defect.values()) {
            map.put(defect.description, stats.defects[defect.ordinal()]);
        }
        return map;
    }

    private static String deathsByYear(PopulationStats stats, Window window) {
        List<String> parts = new ArrayList<>();
        for (int y = 0; y < stats.deathsByYear.length; y++) {
            parts.add(String.format(Locale.UK, "%d: %,d", window.start.getYear() + y, stats.deathsByYear[y]));
        }
        return String.join(", ", parts);
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : round(part / (double) whole, 4);
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : part / (double) whole;
    }

    private static String percent(long part, long whole) {
        return percentText(whole == 0 ? 0 : part / (double) whole);
    }

    private static String percentText(double share) {
        return String.format(Locale.UK, "%.1f%%", share * 100);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.UK, "%." + decimals + "f", value);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return seconds >= 3600
                ? String.format(Locale.UK, "%d h %02d min %02d s", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.UK, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
