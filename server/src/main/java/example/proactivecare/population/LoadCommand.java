package example.proactivecare.population;

import example.proactivecare.cli.Options;
import example.proactivecare.cli.Options.UsageException;
import example.proactivecare.cli.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code load}: puts a generated population (or Synthea's FHIR output) into a running server through FHIR
 * transactions, with a progress bar, resumable after an interruption.
 */
public final class LoadCommand {

    static final String USAGE =
            """
            Usage: java -jar proactive-care-server.jar load --from DIR [options]

            Posts every transaction bundle under DIR to a running server, in order, and reports resources per second.
            DIR is either a population written by `generate` (it has a manifest.json), or a folder of Synthea FHIR
            bundles (hospitalInformation and practitionerInformation files go first), or a single .ndjson file.

            Options:
              --server URL        the server's FHIR base (default http://localhost:8080/fhir)
              --threads N         bundles posted at once (default 2)
              --restart           forget earlier progress and post everything again
              --keep-going        record a rejected bundle and carry on (default: stop at the first one)
              --token TOKEN       a bearer token sent with every request
              --timeout SECONDS   per bundle (default 600)
              --limit N           post at most N bundles in this run (a later run goes on from there)

            Progress is kept in DIR/load-progress.log (one line per stored bundle), so running the same command
            again after an interruption posts only what is not yet stored. Rejected bundles are listed, with the
            server's OperationOutcome, in DIR/load-errors.log.
            """;

    private LoadCommand() {}

    public static int run(String[] args) {
        PrintStream err = System.err;
        Loader.Settings settings;
        try {
            Options options = Options.parse(args);
            if (options.has("help")) {
                err.print(USAGE);
                return 0;
            }
            if (!options.has("from")) {
                throw new UsageException("--from is required");
            }
            settings = new Loader.Settings(
                    options.path("from", null),
                    URI.create(withoutTrailingSlash(options.string("server", "http://localhost:8080/fhir"))),
                    (int) options.number("threads", 2, 1, 64),
                    options.flag("restart"),
                    options.flag("keep-going"),
                    options.string("token", null),
                    Duration.ofSeconds(options.number("timeout", 600, 1, 86_400)),
                    options.number("limit", Long.MAX_VALUE, 1, Long.MAX_VALUE));
            options.checkAllUsed();
        } catch (UsageException | IllegalArgumentException e) {
            err.println("load: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return 2;
        }
        try {
            LoadPlan plan = LoadPlan.of(settings.from());
            Loader.Result result;
            try (ProgressBar bar = new ProgressBar("load", plan.totalResources(), plan.unit())) {
                result = new Loader(settings, plan, bar).run();
            }
            err.println(result.describe());
            return result.failed() == 0 && result.complete() ? 0 : 1;
        } catch (IOException | IllegalStateException e) {
            err.println("load: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("load: interrupted; run the same command again to resume");
            return 1;
        }
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static Path progressLog(Path from) {
        return (from.toFile().isDirectory() ? from : from.toAbsolutePath().getParent()).resolve("load-progress.log");
    }

    static Path errorLog(Path from) {
        return (from.toFile().isDirectory() ? from : from.toAbsolutePath().getParent()).resolve("load-errors.log");
    }
}
