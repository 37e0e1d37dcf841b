package example.proactivecare.benchmark;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import example.proactivecare.benchmark.cql.ClinicalReasoningConfig;
import example.proactivecare.benchmark.cql.CqlCohortBaseline;
import example.proactivecare.cli.Options;
import example.proactivecare.cli.ProgressBar;
import example.proactivecare.database.EmbeddedPostgresProperties;
import example.proactivecare.population.LoadPlan;
import example.proactivecare.population.Loader;
import example.proactivecare.projection.ProjectionRows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Parameters;
import org.postgresql.PGConnection;

/**
 * {@code java -jar proactive-care-server.jar benchmark-cohorts}: how long {@code Group/$frequent-attenders} takes over
 * generated ICSs of several sizes (default 10k, 100k and 1.1M patients).
 *
 * <p>Derivation reads only the projection tables, so each population is put straight into them (by the server's own
 * views and classifier, with COPY) rather than through HAPI, which would take a day at 1.1M. The server runs as a
 * separate JVM on a PostgreSQL this command starts, and is asked over HTTP, as a client would; the time is the whole
 * round trip, Group included.
 */
public final class CohortBenchmark {

    static final String USAGE =
            """
            Usage: java -jar proactive-care-server.jar benchmark-cohorts [options]

            Times Group/$frequent-attenders (persist=false, every practice, the year to --period-end) for each cohort
            kind over generated ICSs of each size, and writes a table to --out/cohorts.md.

            Options:
              --sizes N,N,...    patients per ICS (default 10000,100000,1100000; none for only --cql-patients)
              --runs N           timed runs per cohort kind and size; the median is reported (default 3)
              --period-end DATE  last day of the window (default 2021-12-31, the generator's last year)
              --out DIR          where populations, the database and the results go (default target/benchmark)
              --threads N        threads filling the projection (default 2)
              --heap SIZE        the server's maximum heap (default 2g)
              --reuse            measure again the projections an earlier run of this build filled completely,
                                 instead of emptying and filling them (each size has its own database in --out)
              --cql-patients N   also load N patients through the FHIR API into a server with HAPI clinical
                                 reasoning, and time the equivalent CQL measure against $frequent-attenders
            """;

    private static final FhirContext R4 = FhirContext.forR4Cached();
    /** The subtype of the AuditEvents the server records for operations, as a token search. */
    private static final String OPERATION_SUBTYPE =
            URLEncoder.encode(BalpConstants.CS_RESTFUL_INTERACTION + "|operation", StandardCharsets.UTF_8);

    private final PrintStream err = System.err;
    private final Path jar;
    private final Path out;
    private final List<Long> sizes;
    private final int runs;
    private final String periodEnd;
    private final int threads;
    private final String heap;
    private final long cqlPatients;
    private final boolean reuse;

    private CohortBenchmark(Path jar, Options options) {
        this.jar = jar;
        this.out = options.path("out", "target/benchmark");
        String sizes = options.string("sizes", "10000,100000,1100000");
        this.sizes = sizes.equals("none")
                ? List.of()
                : Arrays.stream(sizes.split(","))
                        .map(String::trim)
                        .map(Long::parseLong)
                        .toList();
        this.runs = (int) options.number("runs", 3, 1, 50);
        this.periodEnd = options.string("period-end", "2021-12-31");
        this.threads = (int) options.number("threads", 2, 1, 64);
        this.heap = options.string("heap", "2g");
        this.cqlPatients = options.number("cql-patients", 0, 0, 10_000_000);
        this.reuse = options.has("reuse");
    }

    public static int run(String[] args) {
        return BenchmarkCommand.runMeasurement(
                "benchmark-cohorts", USAGE, args, (jar, options) -> new CohortBenchmark(jar, options)::measure);
    }

    private String measure() throws IOException, SQLException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (long size : sizes) {
            lines.addAll(measure(size));
        }
        if (cqlPatients > 0) {
            lines.add("");
            lines.addAll(againstCql());
        }
        String table = render(lines);
        Files.writeString(out.resolve("cohorts.md"), table);
        return table;
    }

    /**
     * One size on its own PostgreSQL (in {@code cohorts-db-<size>}) and server. With {@code --reuse}, a projection that
     * an earlier run filled completely (it leaves {@code cohorts-db-<size>.filled}) is measured again as it is.
     */
    private List<String> measure(long size) throws IOException, SQLException, InterruptedException {
        Path database = out.resolve("cohorts-db-" + size);
        Path filled = out.resolve("cohorts-db-" + size + ".filled");
        boolean refill = !(reuse && Files.exists(filled) && Files.isDirectory(database));
        if (refill) {
            Files.deleteIfExists(filled);
            BenchmarkCommand.fresh(database);
        }
        step("starting PostgreSQL in " + database);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(database)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "localhost")
                // as the server's own embedded PostgreSQL would have it on this machine
                .setServerConfig("shared_buffers", EmbeddedPostgresProperties.defaultSharedBuffers())
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start()) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            step("starting the server on it");
            try (ServerProcess server = ServerProcess.start(
                    jar,
                    heap,
                    BenchmarkCommand.fresh(out.resolve("cohorts-server-data")),
                    out.resolve("cohorts-server-report-" + size + ".json"),
                    out.resolve("cohorts-server-" + size + ".log"),
                    List.of(
                            "--spring.datasource.url=" + url,
                            "--spring.datasource.username=postgres",
                            "--spring.datasource.password=postgres"))) {
                server.awaitReady(Duration.ofMinutes(30));
                if (refill) {
                    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                        ProjectionRows rows = ProjectionRows.fromClasspath(R4, ProjectionRows.columnTypes(connection));
                        Path population = BenchmarkCommand.generate(jar, out.resolve("population-" + size), size);
                        fill(connection, rows, population);
                    }
                    Files.writeString(filled, size + " patients\n");
                } else {
                    step("reusing the projection of " + size + " patients filled by an earlier run");
                }
                return derive(server.fhirBase(), size);
            }
        }
    }

    /** Empties the projection and fills it from the population's bundles, then lets PostgreSQL analyse it. */
    private void fill(Connection connection, ProjectionRows rows, Path population)
            throws IOException, SQLException, InterruptedException {
        LoadPlan plan = LoadPlan.of(population);
        Path csv = Files.createDirectories(BenchmarkCommand.fresh(out.resolve("cohorts-csv")));
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE "
                    + rows.tables().stream()
                            .map(table -> "proactivecare." + table.name())
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        long started = System.nanoTime();
        AtomicInteger part = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ProgressBar bar =
                new ProgressBar("  projecting " + population.getFileName(), plan.totalResources(), "resources")) {
            List<Future<?>> tasks = new ArrayList<>();
            for (LoadPlan.LoadFile file : plan.files()) {
                tasks.add(pool.submit(() -> {
                    project(rows, file.path(), csv, part.incrementAndGet(), bar);
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("projecting " + population + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        long projected = System.nanoTime();
        step("copying the rows into PostgreSQL");
        var copy = connection.unwrap(PGConnection.class).getCopyAPI();
        // the attendance tallies are counted once at the end rather than by the triggers after each COPY
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE proactivecare.encounter DISABLE TRIGGER USER");
            statement.execute("ALTER TABLE proactivecare.patient DISABLE TRIGGER USER");
        }
        try (var files = Files.list(csv)) {
            for (Path file : files.sorted().toList()) {
                String table = file.getFileName().toString().replaceFirst("-\\d+\\.csv$", "");
                String columns = rows.tables().stream()
                        .filter(t -> t.name().equals(table))
                        .findFirst()
                        .orElseThrow()
                        .columns()
                        .stream()
                        .reduce((a, b) -> a + ", " + b)
                        .orElseThrow();
                try (Reader reader = Files.newBufferedReader(file)) {
                    copy.copyIn("COPY proactivecare." + table + " (" + columns + ") FROM STDIN (FORMAT csv)", reader);
                }
            }
        }
        BenchmarkCommand.fresh(csv);
        long copied = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE proactivecare.encounter ENABLE TRIGGER USER");
            statement.execute("ALTER TABLE proactivecare.patient ENABLE TRIGGER USER");
            statement.execute("SELECT proactivecare.tally_attendances(NULL)");
        }
        long tallied = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE");
        }
        step(String.format(
                "projection filled: %d s projecting, %d s copying, %d s tallying attendances, %d s analysing",
                Duration.ofNanos(projected - started).toSeconds(),
                Duration.ofNanos(copied - projected).toSeconds(),
                Duration.ofNanos(tallied - copied).toSeconds(),
                Duration.ofNanos(System.nanoTime() - tallied).toSeconds()));
    }

    private static void project(ProjectionRows rows, Path file, Path csv, int part, ProgressBar bar)
            throws IOException {
        IParser parser = R4.newJsonParser();
        Map<String, Writer> writers = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Bundle bundle = parser.parseResource(Bundle.class, line);
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    rows.csv(entry.getResource(), (table, row) -> {
                        try {
                            writers.computeIfAbsent(table, t -> writer(csv.resolve(t + "-" + part + ".csv")))
                                    .write(row);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
                bar.advance(bundle.getEntry().size());
            }
        } finally {
            for (Writer writer : writers.values()) {
                writer.close();
            }
        }
    }

    private static BufferedWriter writer(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Times each cohort kind over every practice; answers the table lines. */
    private List<String> derive(URI fhirBase, long size) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<String> lines = new ArrayList<>();
        for (String kind : List.of("gp-frequent-attender", "targeted-proactive-support", "ae-frequent-attender")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(fhirBase + "/Group/$frequent-attenders?cohort="
                            + kind + "&periodEnd=" + periodEnd + "&persist=false"))
                    .header("Accept", "application/fhir+json")
                    .timeout(Duration.ofMinutes(30))
                    .build();
            Timed timed = timed(http, fhirBase, request);
            List<Double> seconds = timed.seconds();
            double median = timed.median();
            Parameters result = R4.newJsonParser().parseResource(Parameters.class, timed.body());
            int members = ((Group) result.getParameter("return").getResource())
                    .getMember()
                    .size();
            step(String.format("%,d patients, %s: %d members, median %.2f s", size, kind, members, median));
            lines.add(String.format(
                    "| %,d | %s | %,d | %.2f | %s | %.2f |",
                    size,
                    kind,
                    members,
                    median,
                    seconds.stream().map(s -> String.format("%.2f", s)).toList(),
                    timed.auditMedian()));
        }
        return lines;
    }

    /**
     * The GP frequent attenders of a population loaded through the FHIR API, by HAPI clinical reasoning's CQL
     * $evaluate-measure and by $frequent-attenders, on one server: times, ratio, and whether the members match.
     */
    private List<String> againstCql() throws IOException, InterruptedException {
        Path population = BenchmarkCommand.generate(jar, out.resolve("population-" + cqlPatients), cqlPatients);
        step("starting a server with clinical reasoning");
        try (ServerProcess server = ServerProcess.start(
                jar,
                heap,
                BenchmarkCommand.fresh(out.resolve("cohorts-cql-data")),
                out.resolve("cohorts-cql-report.json"),
                out.resolve("cohorts-cql-server.log"),
                List.of("--spring.profiles.active=" + ClinicalReasoningConfig.PROFILE))) {
            server.awaitReady(Duration.ofMinutes(10));
            LoadPlan plan = LoadPlan.of(population);
            Loader.Settings settings = new Loader.Settings(
                    population, server.fhirBase(), threads, true, false, null, Duration.ofMinutes(10), Long.MAX_VALUE);
            try (ProgressBar bar =
                    new ProgressBar("  loading " + population.getFileName(), plan.totalResources(), plan.unit())) {
                Loader.Result loaded = new Loader(settings, plan, bar).run();
                if (loaded.failed() > 0 || !loaded.complete()) {
                    throw new IllegalStateException("loading " + population + ": " + loaded.describe());
                }
            }
            step("evaluating the CQL measure");
            CqlCohortBaseline.Result cql =
                    new CqlCohortBaseline(R4, server.fhirBase(), Duration.ofHours(2)).run(LocalDate.parse(periodEnd));
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.fhirBase()
                            + "/Group/$frequent-attenders?cohort=gp-frequent-attender&periodEnd=" + periodEnd
                            + "&persist=false"))
                    .header("Accept", "application/fhir+json")
                    .timeout(Duration.ofMinutes(30))
                    .build();
            Timed timed = timed(http, server.fhirBase(), request);
            double ours = timed.median();
            Group group = (Group) R4.newJsonParser()
                    .parseResource(Parameters.class, timed.body())
                    .getParameter("return")
                    .getResource();
            java.util.Set<String> ourMembers = new java.util.TreeSet<>();
            group.getMember()
                    .forEach(m ->
                            ourMembers.add(m.getEntity().getReferenceElement().getIdPart()));
            java.util.Set<String> cqlMembers = new java.util.TreeSet<>(cql.members());
            double cqlSeconds = cql.elapsed().toMillis() / 1000.0;
            String same = ourMembers.equals(cqlMembers)
                    ? "yes"
                    : "NO: " + difference(ourMembers, cqlMembers) + " only here, " + difference(cqlMembers, ourMembers)
                            + " only in CQL";
            step(String.format(
                    "CQL %.2f s, $frequent-attenders %.2f s (%.0fx); same members: %s",
                    cqlSeconds, ours, cqlSeconds / ours, same));
            return List.of(
                    String.format(
                            "GP frequent attenders of %,d patients loaded through the FHIR API, the 12 months to %s:%n",
                            cqlPatients, periodEnd),
                    "| method | members | s |\n|---|---:|---:|",
                    String.format(
                            "| CQL Measure/$evaluate-measure (HAPI clinical reasoning) | %,d | %.2f |",
                            cqlMembers.size(), cqlSeconds),
                    String.format(
                            "| Group/$frequent-attenders (median of %d) | %,d | %.2f |", runs, ourMembers.size(), ours),
                    String.format("%nRatio: %.0fx (target at least 100x). Same members: %s.", cqlSeconds / ours, same));
        }
    }

    /**
     * The last answer of a timed request, its times in seconds (sorted) and their median, and how long after each
     * answer the server had stored its AuditEvent (sorted).
     */
    private record Timed(String body, List<Double> seconds, List<Double> auditSeconds) {
        double median() {
            return seconds.get(seconds.size() / 2);
        }

        double auditMedian() {
            return auditSeconds.get(auditSeconds.size() / 2);
        }
    }

    /**
     * Sends the request once untimed (the first query of a kind plans it and reads its pages from disk), then {@code
     * runs} times timed. Each request is sent once the server has stored the AuditEvent of the one before: the server
     * stores AuditEvents on a thread of its own after it has answered, and the event of an answer naming 42,000 patients
     * takes it seconds of CPU, which would otherwise be measured as part of the next request's time. How long that
     * takes is measured too, from the end of each answer.
     */
    private Timed timed(HttpClient http, URI fhirBase, HttpRequest request) throws IOException, InterruptedException {
        int audited = operationEvents(http, fhirBase);
        String body = send(http, request);
        awaitOperationEvents(http, fhirBase, ++audited);
        List<Double> seconds = new ArrayList<>();
        List<Double> auditSeconds = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            body = send(http, request);
            long answered = System.nanoTime();
            seconds.add((answered - start) / 1e9);
            awaitOperationEvents(http, fhirBase, ++audited);
            auditSeconds.add((System.nanoTime() - answered) / 1e9);
        }
        seconds.sort(Double::compare);
        auditSeconds.sort(Double::compare);
        return new Timed(body, List.copyOf(seconds), List.copyOf(auditSeconds));
    }

    /** How many AuditEvents of operations ({@code $frequent-attenders} among them) the server has stored. */
    private static int operationEvents(HttpClient http, URI fhirBase) throws IOException, InterruptedException {
        HttpRequest count = HttpRequest.newBuilder(
                        URI.create(fhirBase + "/AuditEvent?subtype=" + OPERATION_SUBTYPE + "&_summary=count"))
                .header("Accept", "application/fhir+json")
                // a count HAPI kept from an earlier identical search would not move
                .header("Cache-Control", "no-cache")
                .timeout(Duration.ofMinutes(1))
                .build();
        return R4.newJsonParser().parseResource(Bundle.class, send(http, count)).getTotal();
    }

    private static void awaitOperationEvents(HttpClient http, URI fhirBase, int expected)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (operationEvents(http, fhirBase) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the server had not stored the AuditEvent of a request after 10 minutes");
            }
            Thread.sleep(50);
        }
    }

    private static long difference(java.util.Set<String> a, java.util.Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).count();
    }

    private static String send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private String render(List<String> lines) {
        Runtime runtime = Runtime.getRuntime();
        StringBuilder table = new StringBuilder();
        table.append("## Cohort derivation\n\n");
        table.append(String.format(
                "Group/$frequent-attenders?persist=false over every practice, the 12 months to %s; whole HTTP round trip"
                        + " (median of %d runs after one untimed run), each sent once the server had stored the"
                        + " AuditEvent of the one before; audit s is how long after its answer that took (median)."
                        + " Machine: %d cores, server heap %s.%n%n",
                periodEnd, runs, runtime.availableProcessors(), heap));
        table.append("| patients | cohort | members | median s | runs s | audit s |\n|---:|---|---:|---:|---|---:|\n");
        lines.forEach(line -> table.append(line).append('\n'));
        table.append("\nTarget: under 3 s at 1,100,000 patients on 2 cores.\n");
        return table.toString();
    }

    private void step(String what) {
        err.println("== " + what);
    }
}
