package example.proactivecare.population;

import example.proactivecare.cli.Options;
import example.proactivecare.cli.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * {@code java -jar proactive-care-server.jar generate --out target/population --patients 1100000 --seed 42}: writes a
 * deterministic, calibrated synthetic ICS population as NDJSON transaction bundles, without starting the server.
 */
public final class GenerateCommand {

    static final String USAGE =
            """
            usage: java -jar proactive-care-server.jar generate [options]

            Writes a synthetic ICS population (FHIR R4 transaction bundles, one a line) into a folder:
            00-organizations.ndjson, practice-<ODS>.ndjson for each practice, manifest.json and summary.md.
            The same options always give the same files.

              --out=<folder>               where to write (default target/population)
              --patients=<n>               registered patients (default 1100000, about 8,500 a practice)
              --seed=<n>                   random seed (default 42)
              --start=<yyyy-mm-dd>         first day of activity (default 2019-01-01)
              --end=<yyyy-mm-dd>           last day of activity, included (default 2021-12-31)
              --defect-rate=<0..1>         chance of each kind of planted data-quality defect in a patient's
                                           record (default 0.01)
              --patients-per-bundle=<n>    patients in each transaction bundle (default 10)
              --threads=<n>                practices generated at once (default: the available processors)
              --help                       print this
            """;

    private GenerateCommand() {}

    public static int run(String[] args) {
        // HAPI announces its version and FHIR context on the console; the command's own output is enough
        if (org.slf4j.LoggerFactory.getLogger("ca.uhn.fhir") instanceof ch.qos.logback.classic.Logger hapi) {
            hapi.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        return run(args, System.out, System.err, true);
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean showProgress) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        GeneratorOptions options;
        try {
            options = parse(args);
        } catch (Options.UsageException e) {
            err.println("generate: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return 2;
        }
        try {
            PopulationGenerator generator = new PopulationGenerator(options);
            PopulationGenerator.Result result;
            if (showProgress) {
                try (ProgressBar progress = new ProgressBar("generate", options.patients(), "patients")) {
                    result = generator.run(progress);
                }
            } else {
                result = generator.run(null);
            }
            PopulationStats stats = result.stats();
            out.printf(
                    Locale.UK,
                    "Wrote %,d patients in %d practices: %,d bundles, %,d resources to %s (see summary.md)%n",
                    stats.patients,
                    result.structure().practices.size(),
                    stats.bundles,
                    stats.totalResources(),
                    options.out());
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("generate failed: " + e);
            return 1;
        }
    }

    static GeneratorOptions parse(String[] args) {
        Options options = Options.parse(args);
        Path out = options.path("out", "target/population");
        int patients = (int) options.number("patients", 1_100_000, 1, 50_000_000);
        long seed = options.number("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        LocalDate start = options.date("start", LocalDate.of(2019, 1, 1));
        LocalDate end = options.date("end", LocalDate.of(2021, 12, 31));
        double defectRate = options.decimal("defect-rate", 0.01, 0, 1);
        int perBundle = (int) options.number("patients-per-bundle", 10, 1, 1000);
        int threads = (int) options.number("threads", Runtime.getRuntime().availableProcessors(), 1, 256);
        options.checkAllUsed();
        if (end.isBefore(start)) {
            throw new Options.UsageException("--end (" + end + ") is before --start (" + start + ")");
        }
        if (start.getYear() < 1900 || end.getYear() > 2200) {
            throw new Options.UsageException("--start and --end must be between 1900 and 2200");
        }
        return new GeneratorOptions(out, patients, seed, start, end, defectRate, perBundle, threads);
    }
}
