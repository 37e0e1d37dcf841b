package example.proactivecare.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.proactivecare.cli.Options;
import example.proactivecare.cli.Options.UsageException;
import example.proactivecare.cli.ProgressBar;
import example.proactivecare.population.LoadPlan;
import example.proactivecare.population.Loader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code benchmark}: measures this server side by side with its baselines, on this machine, in one run, and prints a
 * table of medians with their ratios (also written to a file).
 *
 * <p>Every server measured is this same jar in its own JVM with the same heap limit, on a fresh data folder. The
 * baselines are the {@code plain-hapi} profile (HAPI FHIR JPA as it comes: see {@link PlainHapiBaseline}) and this
 * server with its analytic projection off. To add a figure, add a step that measures it and appends a {@link Figure}.
 */
public final class BenchmarkCommand {

    static final String USAGE =
            """
            Usage: java -jar proactive-care-server.jar benchmark [options]

            Generates a small population, then starts servers from this jar (this server, the plain-hapi baseline,
            and this server with its projection off), loads the population into each, and prints median figures with
            ratios. Takes about 20-30 minutes on 2 cores with the defaults.

            Options:
              --out DIR             where the table, logs and data go (default target/benchmark)
              --patients N          population size (default 700)
              --population DIR      use an existing population from `generate` instead
              --rounds N            measured rounds per figure (default 3)
              --ingest-bundles N    bundles a round posts one at a time, as a GP system syncing (default 5)
              --load-bundles N      bundles a round posts with the loader's parallelism (default 10)
              --warm-up-bundles N   bundles each server gets, unmeasured, before the rounds (default 20)
              --threads N           the loader's parallelism (default 2)
              --heap SIZE           each server's -Xmx (default 2g)
            """;

    private static final String OURS = "this server";
    private static final String PLAIN = "plain HAPI JPA";
    private static final String NO_PROJECTION = "projection off";
    private static final long ICS_PATIENTS = 1_100_000;

    private final PrintStream err = System.err;
    private final Path jar;
    private final Path out;
    private final int rounds;
    private final int ingestBundles;
    private final int loadBundles;
    private final int warmUpBundles;
    private final int threads;
    private final String heap;
    private final Map<String, List<Double>> measured = new LinkedHashMap<>();

    private BenchmarkCommand(Path jar, Options options) {
        this.jar = jar;
        this.out = options.path("out", "target/benchmark");
        this.rounds = (int) options.number("rounds", 3, 1, 50);
        this.ingestBundles = (int) options.number("ingest-bundles", 5, 1, 100_000);
        this.loadBundles = (int) options.number("load-bundles", 10, 1, 100_000);
        this.warmUpBundles = (int) options.number("warm-up-bundles", 20, 0, 100_000);
        this.threads = (int) options.number("threads", 2, 1, 64);
        this.heap = options.string("heap", "2g");
    }

    public static int run(String[] args) {
        PrintStream err = System.err;
        Path population;
        long patients;
        BenchmarkCommand benchmark;
        try {
            Options options = Options.parse(args);
            if (options.has("help")) {
                err.print(USAGE);
                return 0;
            }
            Path jar = ownJar();
            benchmark = new BenchmarkCommand(jar, options);
            patients = options.number("patients", 700, 10, 10_000_000);
            population = options.has("population") ? options.path("population", null) : null;
            options.checkAllUsed();
        } catch (UsageException e) {
            err.println("benchmark: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return 2;
        }
        try {
            return benchmark.measure(population, patients);
        } catch (IOException | IllegalStateException e) {
            err.println("benchmark: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int measure(Path givenPopulation, long patients) throws IOException, InterruptedException {
        Files.createDirectories(out);
        Path population = givenPopulation != null ? givenPopulation : generate(patients);
        LoadPlan plan = LoadPlan.of(population);
        LoadPlan organisations = plan.only(f -> f.equals(plan.files().get(0)));
        LoadPlan practices = plan.only(f -> !f.equals(plan.files().get(0)));
        long needed = (long) rounds * (ingestBundles + loadBundles) + warmUpBundles;
        long available = practices.totalBundles();
        if (available < needed) {
            throw new IllegalStateException("the population has " + available + " patient bundles; a warm-up and "
                    + rounds + " rounds of " + (ingestBundles + loadBundles) + " need " + needed
                    + " (use more --patients)");
        }

        List<Figure> figures = new ArrayList<>();
        startUp(figures);
        Map<String, JsonNode> reports = throughput(population, organisations, practices);
        figures.add(rates("ingest, GP-style transactions posted one at a time", "ingest", PLAIN));
        figures.add(rates("load, " + threads + " transactions at a time", "load", PLAIN));
        figures.add(rates("ingest with the projection, against without", "ingest", NO_PROJECTION));
        figures.add(rates("load with the projection, against without", "load", NO_PROJECTION));
        JsonNode ours = reports.get(OURS);
        if (ours.path("projectedResources").asLong() > 0) {
            double micros = ours.path("projectionNanos").asDouble()
                    / ours.path("projectedResources").asDouble()
                    / 1000;
            figures.add(new Figure(
                    "time in the projection per resource (inside the transaction)",
                    "µs",
                    List.of(micros),
                    List.of(),
                    ""));
        }
        figures.add(heap("peak heap while loading", "peakHeapBytes", reports));
        figures.add(heap("heap still reachable after loading (after a full GC)", "liveHeapAtEndBytes", reports));
        double resourcesPerPatient = (double) practices.totalResources() / patientsIn(population, patients);
        double loadRate = Figure.median(measured.get(OURS + " load"));
        double plainRate = Figure.median(measured.get(PLAIN + " load"));
        figures.add(new Figure(
                "a 1.1M-patient ICS at the load rate (" + Figure.format(resourcesPerPatient * ICS_PATIENTS / 1e6)
                        + " M resources)",
                "hours",
                List.of(resourcesPerPatient * ICS_PATIENTS / loadRate / 3600),
                List.of(resourcesPerPatient * ICS_PATIENTS / plainRate / 3600),
                PLAIN));

        String table = render(figures, population);
        Path file = out.resolve("benchmark.md");
        Files.writeString(file, table, StandardCharsets.UTF_8);
        System.out.println(table);
        err.println("benchmark: written to " + file);
        return 0;
    }

    /** Server start-up to the first 200 from /metadata, on an empty data folder, each server in turn. */
    private void startUp(List<Figure> figures) throws IOException, InterruptedException {
        List<Double> ours = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String server : List.of(OURS, PLAIN)) {
                String name = slug(server) + "-startup-" + round;
                step("start-up of " + server + ", round " + round + " of " + rounds);
                try (ServerProcess process = ServerProcess.start(
                        jar,
                        heap,
                        fresh(out.resolve("data").resolve(name)),
                        out.resolve("reports").resolve(name + ".json"),
                        out.resolve("logs").resolve(name + ".log"),
                        argumentsOf(server))) {
                    double seconds = process.awaitReady(Duration.ofMinutes(10)).toMillis() / 1000.0;
                    (server.equals(OURS) ? ours : plain).add(seconds);
                    err.printf(Locale.UK, "  %s ready in %.1f s%n", server, seconds);
                }
            }
        }
        figures.add(new Figure("start-up on an empty database", "s", ours, plain, PLAIN));
    }

    /**
     * The three servers, each fresh: the organisations and an unmeasured warm-up (JIT, the validator's definitions,
     * connection pools), then rounds of ingest (one bundle at a time) and load (the loader's parallelism) on bundles
     * not posted before. The servers take turns round by round, so none is measured only early or only late. Returns
     * each server's own report.
     */
    private Map<String, JsonNode> throughput(Path population, LoadPlan organisations, LoadPlan practices)
            throws IOException, InterruptedException {
        List<String> servers = List.of(OURS, NO_PROJECTION, PLAIN);
        Map<String, ServerProcess> processes = new LinkedHashMap<>();
        Map<String, Path> populations = new LinkedHashMap<>();
        try {
            for (String server : servers) {
                String name = slug(server) + "-throughput";
                Files.deleteIfExists(out.resolve("reports").resolve(name + ".json"));
                step("starting " + server);
                ServerProcess process = ServerProcess.start(
                        jar,
                        heap,
                        fresh(out.resolve("data").resolve(name)),
                        out.resolve("reports").resolve(name + ".json"),
                        out.resolve("logs").resolve(name + ".log"),
                        argumentsOf(server));
                processes.put(server, process);
                process.awaitReady(Duration.ofMinutes(10));
                // each server keeps its own progress log: a copy of the population's manifest and files, linked
                Path copy = linkedCopy(population, out.resolve("populations").resolve(slug(server)));
                populations.put(server, copy);
                load(process, copy, organisations.in(copy), 1, Long.MAX_VALUE, true, server + " organisations");
                load(process, copy, practices.in(copy), threads, warmUpBundles, false, server + " warm-up");
            }
            for (int round = 1; round <= rounds; round++) {
                for (String server : servers) {
                    ServerProcess process = processes.get(server);
                    Path copy = populations.get(server);
                    Loader.Result ingest = load(
                            process, copy, practices.in(copy), 1, ingestBundles, false, server + " ingest " + round);
                    measured.computeIfAbsent(server + " ingest", k -> new ArrayList<>())
                            .add(ingest.resourcesPerSecond());
                    Loader.Result load = load(
                            process, copy, practices.in(copy), threads, loadBundles, false, server + " load " + round);
                    measured.computeIfAbsent(server + " load", k -> new ArrayList<>())
                            .add(load.resourcesPerSecond());
                    err.printf(
                            Locale.UK,
                            "  %s round %d: ingest %.0f resources/s, load %.0f resources/s%n",
                            server,
                            round,
                            ingest.resourcesPerSecond(),
                            load.resourcesPerSecond());
                }
            }
        } finally {
            for (ServerProcess process : processes.values()) {
                process.close();
            }
        }
        Map<String, JsonNode> reports = new LinkedHashMap<>();
        for (String server : servers) {
            Path report = out.resolve("reports").resolve(slug(server) + "-throughput.json");
            reports.put(server, new ObjectMapper().readTree(report.toFile()));
        }
        return reports;
    }

    /** A folder of symbolic links to a population's files, so that a load there keeps a progress log of its own. */
    private static Path linkedCopy(Path population, Path copy) throws IOException {
        fresh(copy);
        Files.createDirectories(copy);
        try (var files = Files.list(population)) {
            for (Path file : files.filter(f -> {
                        String name = f.getFileName().toString();
                        return name.endsWith(".ndjson") || name.equals(LoadPlan.MANIFEST);
                    })
                    .toList()) {
                Files.createSymbolicLink(copy.resolve(file.getFileName()), file.toAbsolutePath());
            }
        }
        return copy;
    }

    /** The rates this server measured (ingest or load) against those of a baseline server. */
    private Figure rates(String name, String kind, String baseline) {
        return new Figure(
                name, "resources/s", measured.get(OURS + " " + kind), measured.get(baseline + " " + kind), baseline);
    }

    /** A heap figure from this server's report against plain HAPI's. */
    private static Figure heap(String name, String field, Map<String, JsonNode> reports) {
        return new Figure(
                name,
                "MB",
                List.of(megabytes(reports.get(OURS).path(field))),
                List.of(megabytes(reports.get(PLAIN).path(field))),
                PLAIN);
    }

    private Loader.Result load(
            ServerProcess process,
            Path population,
            LoadPlan plan,
            int parallel,
            long limit,
            boolean restart,
            String label)
            throws IOException, InterruptedException {
        Loader.Settings settings = new Loader.Settings(
                population, process.fhirBase(), parallel, restart, false, null, Duration.ofMinutes(10), limit);
        Loader.Result result;
        try (ProgressBar bar = new ProgressBar("  " + label, plan.totalResources(), plan.unit())) {
            result = new Loader(settings, plan, bar).run();
        }
        if (result.failed() > 0 || !result.complete()) {
            throw new IllegalStateException(label + ": " + result.describe());
        }
        return result;
    }

    /** A population of the given size from this jar's own generator, made once and reused by later runs. */
    private Path generate(long patients) throws IOException, InterruptedException {
        return generate(jar, out.resolve("population-" + patients), patients);
    }

    /** Generates {@code patients} patients into {@code population} with this jar, unless a population is there. */
    static Path generate(Path jar, Path population, long patients) throws IOException, InterruptedException {
        if (Files.exists(population.resolve(LoadPlan.MANIFEST))) {
            System.err.println("== reusing the population in " + population);
            return population;
        }
        System.err.println("== generating " + patients + " patients into " + population);
        Process process = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-jar",
                        jar.toString(),
                        "generate",
                        "--out",
                        population.toString(),
                        "--patients",
                        Long.toString(patients),
                        "--seed",
                        "1")
                .inheritIO()
                .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("generate failed (exit " + process.exitValue() + ")");
        }
        return population;
    }

    private static List<String> argumentsOf(String server) {
        return switch (server) {
            case PLAIN -> List.of("--spring.profiles.active=" + PlainHapiBaseline.PROFILE);
            case NO_PROJECTION -> List.of("--proactivecare.projection.enabled=false");
            default -> List.of();
        };
    }

    private String render(List<Figure> figures, Path population) {
        Runtime runtime = Runtime.getRuntime();
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.UK,
                "Benchmark, %s, on %d cores with %,d MB of RAM (%s %s, Java %s); each server -Xmx%s%n",
                LocalDate.now(),
                runtime.availableProcessors(),
                totalMemoryMegabytes(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                heap));
        table.append(String.format(
                Locale.UK,
                "Population %s; %d rounds; a round posts %d bundles one at a time (ingest), then %d with %d at a time"
                        + " (load)%n%n",
                population,
                rounds,
                ingestBundles,
                loadBundles,
                threads));
        table.append(Figure.header()).append('\n');
        for (Figure figure : figures) {
            table.append(figure.markdownRow()).append('\n');
        }
        return table.toString();
    }

    private void step(String what) {
        err.println("benchmark: " + what);
    }

    private static long patientsIn(Path population, long fallback) throws IOException {
        Path manifest = population.resolve(LoadPlan.MANIFEST);
        if (Files.exists(manifest)) {
            JsonNode node = new ObjectMapper().readTree(manifest.toFile());
            long patients = node.path("options").path("patients").asLong(0);
            if (patients > 0) {
                return patients;
            }
        }
        return fallback;
    }

    private static double megabytes(JsonNode bytes) {
        return bytes.asDouble() / (1024 * 1024);
    }

    private static long totalMemoryMegabytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / (1024 * 1024);
        }
        return 0;
    }

    static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path path :
                        walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir.getParent());
        return dir;
    }

    private static String slug(String server) {
        return server.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
    }

    /** The jar this command runs from: the servers measured are started from it. */
    /** A benchmark made from its command line: {@link #measure()} runs it and answers its table. */
    interface Measurement {
        String measure() throws Exception;
    }

    /**
     * Runs one benchmark command: its usage for {@code --help}; 2, with the usage, for a bad command line; the table
     * printed and 0 when it ran; 1 when it failed.
     */
    static int runMeasurement(
            String command, String usage, String[] args, BiFunction<Path, Options, Measurement> benchmark) {
        Measurement measurement;
        try {
            Options options = Options.parse(args);
            if (options.has("help")) {
                System.out.print(usage);
                return 0;
            }
            measurement = benchmark.apply(ownJar(), options);
            options.checkAllUsed();
        } catch (UsageException | NumberFormatException e) {
            System.err.println(e.getMessage());
            System.err.print(usage);
            return 2;
        }
        try {
            System.out.print(measurement.measure());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            System.err.println(command + " failed: " + e + (e.getCause() == null ? "" : ", caused by " + e.getCause()));
            return 1;
        }
    }

    static Path ownJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator)) {
            throw new UsageException("run the benchmark from the packaged jar: java -jar server/target/"
                    + "proactive-care-server.jar benchmark");
        }
        return Path.of(classPath).toAbsolutePath();
    }
}
