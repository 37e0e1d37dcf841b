package example.proactivecare.benchmark;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import example.proactivecare.cli.Options;
import example.proactivecare.cli.ProgressBar;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.population.LoadPlan;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UnsignedIntType;

/**
 * {@code java -jar proactive-care-server.jar benchmark-care-plans}: how long {@code Group/[id]/$generate-care-plans}
 * takes for a cohort of 10,000 members, against the same plans made one patient at a time with {@code
 * Patient/[id]/$generate-care-plan}, on one server in one run.
 *
 * <p>Plans refer to the patients, their practices, care roles and conditions, so those are stored through the FHIR
 * API (the generated population's organisations file, and its Patients and Conditions; not its Encounters and
 * medication statements, which plan generation does not read). The cohort is a Group of the first {@code --members}
 * living patients, each flagged from their own generated record as {@code $frequent-attenders} would flag them:
 * psychosocial for a condition of the psychosocial-risk-factors value set, clinical or pharmaceutical for 10 or more
 * distinct medicines in the last year of the population (their count is the member's figure, which decides the
 * medication review). The baseline is a second Group of the next {@code --baseline-patients}.
 */
public final class CarePlanBenchmark {

    static final String USAGE =
            """
            Usage: java -jar proactive-care-server.jar benchmark-care-plans [options]

            Times Group/[id]/$generate-care-plans (one run, one transaction) for a cohort, its dry run (allocation
            only), and Patient/[id]/$generate-care-plan one patient at a time for a baseline cohort, on one server;
            writes a table to --out/care-plans.md.

            Options:
              --members N            cohort members given plans in one run (default 10000)
              --baseline-patients N  patients given plans one at a time, the baseline (default 300)
              --capacity N           every care role's caseload capacity, so that every member gets an active plan
                                     with its Tasks, the most work (default 5000; 0 keeps the generated
                                     capacities, about 20 to 60 places a role, so most members wait for capacity)
              --validate-every-resource  validate each generated resource before it is stored (the server's
                                     proactivecare.care-plans.validate-every-resource), not one plan of each shape
              --out DIR              where the population, the server's data and the results go
                                     (default target/benchmark)
              --threads N            bundles posted at once while loading (default 2)
              --heap SIZE            the server's maximum heap (default 2g)
            """;

    static final String BASE = ConformanceResources.CANONICAL_BASE;
    static final String CLINICAL = "clinical-pharmaceutical";
    static final String PSYCHOSOCIAL = "psychosocial";
    static final Duration TIMEOUT = Duration.ofHours(2);
    /** Issue 8's target, 10,000 members in under 30 s on 2 cores, per plan. */
    static final double TARGET_MS_PER_PLAN = 3.0;

    private static final FhirContext R4 = FhirContext.forR4Cached();

    private final PrintStream err = System.err;
    private final Path jar;
    private final Path out;
    private final int members;
    private final int baseline;
    private final int capacity;
    private final boolean validateEveryResource;
    private final int threads;
    private final String heap;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** What the benchmark knows of a generated patient once loaded. */
    record Loaded(String patient, Set<String> flags, int medications, int longTermConditions, int age) {}

    private CarePlanBenchmark(Path jar, Options options) {
        this.jar = jar;
        this.out = options.path("out", "target/benchmark");
        this.members = (int) options.number("members", 10_000, 1, 1_000_000);
        this.baseline = (int) options.number("baseline-patients", 300, 1, 100_000);
        this.capacity = (int) options.number("capacity", 5_000, 0, 1_000_000);
        this.validateEveryResource = options.flag("validate-every-resource");
        this.threads = (int) options.number("threads", 2, 1, 64);
        this.heap = options.string("heap", "2g");
    }

    public static int run(String[] args) {
        return BenchmarkCommand.runMeasurement(
                "benchmark-care-plans", USAGE, args, (jar, options) -> new CarePlanBenchmark(jar, options)::measure);
    }

    private String measure() throws IOException, InterruptedException {
        // a few more patients than needed: some of the generated die before the end of the population's window
        long patients = Math.round((members + baseline) * 1.05) + 50;
        Path population = BenchmarkCommand.generate(jar, out.resolve("population-" + patients), patients);
        List<String> arguments = new ArrayList<>();
        if (validateEveryResource) {
            arguments.add("--proactivecare.care-plans.validate-every-resource=true");
        }
        step("starting the server");
        Path data = BenchmarkCommand.fresh(out.resolve("care-plans-server-data"));
        try (ServerProcess server = ServerProcess.start(
                jar,
                heap,
                data,
                out.resolve("care-plans-server-report.json"),
                out.resolve("care-plans-server.log"),
                arguments)) {
            Duration ready = server.awaitReady(Duration.ofMinutes(10));
            step("ready in " + ready.toSeconds() + " s");
            URI base = server.fhirBase();
            List<Loaded> loaded = load(base, population);
            if (loaded.size() < members + baseline) {
                throw new IllegalStateException("only " + loaded.size() + " living patients were loaded, "
                        + (members + baseline) + " are needed");
            }
            List<Loaded> cohort = loaded.subList(0, members);
            List<Loaded> single = loaded.subList(members, members + baseline);
            String end = windowEnd(population);
            put(base, group("benchmark-cohort", cohort, end));
            put(base, group("benchmark-baseline", single, end));
            String start = LocalDate.now().toString();

            step("dry run: allocation of " + members + " members, nothing stored");
            long dryStarted = System.nanoTime();
            Parameters dry = operation(base, "Group/benchmark-cohort/$generate-care-plans", start, true, null);
            double drySeconds = (System.nanoTime() - dryStarted) / 1e9;

            step("generating the plans of " + members + " members in one run");
            Optional<CpuTime> cpuBefore = CpuTime.sample(server.handle(), data);
            long started = System.nanoTime();
            Parameters batch = operation(base, "Group/benchmark-cohort/$generate-care-plans", start, false, null);
            double batchSeconds = (System.nanoTime() - started) / 1e9;
            Optional<CpuTime> cpu = CpuTime.sample(server.handle(), data).flatMap(after -> cpuBefore.map(after::since));
            long active = count(batch, "allocation", "active");
            long waiting = count(batch, "awaitingCapacity", null);
            step(String.format(
                    "%,d plans (%,d active, %,d awaiting capacity) in %.1f s",
                    active + waiting, active, waiting, batchSeconds));

            step("baseline: " + baseline + " patients' plans one request at a time");
            List<Double> each = new ArrayList<>();
            try (ProgressBar bar = new ProgressBar("  one at a time", baseline, "patients")) {
                for (Loaded patient : single) {
                    long one = System.nanoTime();
                    operation(
                            base,
                            "Patient/" + patient.patient() + "/$generate-care-plan",
                            start,
                            false,
                            "Group/benchmark-baseline");
                    each.add((System.nanoTime() - one) / 1e9);
                    bar.advance(1);
                }
            }
            double singleSeconds =
                    each.stream().mapToDouble(Double::doubleValue).sum();
            List<Double> sorted = each.stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            String table = render(
                    patients,
                    ready,
                    loaded.size(),
                    drySeconds,
                    dry,
                    batchSeconds,
                    cpu,
                    active,
                    waiting,
                    singleSeconds,
                    median);
            Files.writeString(out.resolve("care-plans.md"), table);
            return table;
        }
    }

    /**
     * Stores the organisations, care roles (with {@code --capacity}), Patients and Conditions of the population;
     * answers the living patients in load order with their risk flags.
     */
    private List<Loaded> load(URI base, Path population) throws IOException, InterruptedException {
        LoadPlan plan = LoadPlan.of(population);
        ConformanceContent content = new ConformanceContent(ConformanceResources.load(R4));
        Set<String> psychosocial = content.listedCodes("psychosocial-risk-factors").stream()
                .map(c -> c.getSystem() + "|" + c.getCode())
                .collect(Collectors.toSet());
        Set<String> longTermConditions = content.listedCodes("long-term-conditions").stream()
                .map(c -> c.getSystem() + "|" + c.getCode())
                .collect(Collectors.toSet());
        String end = windowEnd(population);
        String lastYear = end.substring(0, 4);
        Map<String, Loaded> byPatient = new ConcurrentHashMap<>();
        List<String> order = new ArrayList<>();
        long resources =
                plan.files().stream().mapToLong(LoadPlan.LoadFile::resources).sum();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ProgressBar bar = new ProgressBar("  loading", resources, "resources")) {
            for (LoadPlan.LoadFile file : plan.files()) {
                List<Future<?>> posts = new ArrayList<>();
                for (String line : Files.readAllLines(file.path(), StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    IParser parser = R4.newJsonParser();
                    Bundle bundle = parser.parseResource(Bundle.class, line);
                    Bundle kept = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                    Map<String, Set<String>> medicines = new HashMap<>();
                    for (BundleEntryComponent entry : bundle.getEntry()) {
                        var resource = entry.getResource();
                        if (resource instanceof PractitionerRole role && capacity > 0) {
                            role.getExtension().removeIf(e -> e.getUrl().endsWith("/caseload-capacity"));
                            role.addExtension(
                                    BASE + "/StructureDefinition/caseload-capacity", new UnsignedIntType(capacity));
                        }
                        if (resource instanceof MedicationStatement statement) {
                            if (activeIn(statement, lastYear)) {
                                medicines
                                        .computeIfAbsent(
                                                statement
                                                        .getSubject()
                                                        .getReferenceElement()
                                                        .getIdPart(),
                                                p -> new TreeSet<>())
                                        .add(statement
                                                .getMedicationCodeableConcept()
                                                .getCodingFirstRep()
                                                .getCode());
                            }
                            continue;
                        }
                        if (resource.fhirType().equals("Encounter")) {
                            continue;
                        }
                        kept.addEntry(entry);
                        if (resource instanceof Patient patient && !patient.hasDeceased()) {
                            String id = patient.getIdElement().getIdPart();
                            int age = patient.hasBirthDate()
                                    ? java.time.Period.between(
                                                    LocalDate.parse(patient.getBirthDateElement()
                                                            .getValueAsString()),
                                                    LocalDate.parse(end))
                                            .getYears()
                                    : 0;
                            byPatient.put(id, new Loaded(id, new TreeSet<>(), 0, 0, age));
                            order.add(id);
                        }
                        if (resource instanceof Condition condition) {
                            String patient =
                                    condition.getSubject().getReferenceElement().getIdPart();
                            boolean flagged = condition.getCode().getCoding().stream()
                                    .anyMatch(c -> psychosocial.contains(c.getSystem() + "|" + c.getCode()));
                            boolean longTerm = condition.getCode().getCoding().stream()
                                    .anyMatch(c -> longTermConditions.contains(c.getSystem() + "|" + c.getCode()));
                            Loaded was = byPatient.get(patient);
                            if (was != null && flagged) {
                                was.flags().add(PSYCHOSOCIAL);
                            }
                            if (was != null && longTerm) {
                                byPatient.put(
                                        patient,
                                        new Loaded(
                                                patient,
                                                was.flags(),
                                                was.medications(),
                                                was.longTermConditions() + 1,
                                                was.age()));
                            }
                        }
                    }
                    medicines.forEach((patient, codes) -> {
                        Loaded was = byPatient.get(patient);
                        if (was != null) {
                            Set<String> flags = new TreeSet<>(was.flags());
                            if (codes.size() >= 10) {
                                flags.add(CLINICAL);
                            }
                            byPatient.put(
                                    patient,
                                    new Loaded(patient, flags, codes.size(), was.longTermConditions(), was.age()));
                        }
                    });
                    String body = parser.encodeResourceToString(kept);
                    int size = bundle.getEntry().size();
                    if (file.inOrder()) {
                        post(base, body);
                        bar.advance(size);
                    } else {
                        posts.add(pool.submit(() -> {
                            post(base, body);
                            bar.advance(size);
                            return null;
                        }));
                    }
                }
                for (Future<?> post : posts) {
                    post.get();
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("loading " + population + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return order.stream().map(byPatient::get).toList();
    }

    private static String windowEnd(Path population) throws IOException {
        String manifest = Files.readString(population.resolve(LoadPlan.MANIFEST));
        var matcher =
                java.util.regex.Pattern.compile("\"end\"\\s*:\\s*\"([0-9-]+)\"").matcher(manifest);
        return matcher.find() ? matcher.group(1) : "2021-12-31";
    }

    private static boolean activeIn(MedicationStatement statement, String year) {
        if (!statement.hasEffectivePeriod()) {
            return false;
        }
        Period period = statement.getEffectivePeriod();
        String start = period.hasStart() ? period.getStartElement().getValueAsString() : "0000";
        String end = period.hasEnd() ? period.getEndElement().getValueAsString() : "9999";
        return start.compareTo(year + "-12-31") <= 0 && end.compareTo(year + "-01-01") >= 0;
    }

    /**
     * A cohort Group as {@code $frequent-attenders} stores one (profile cohort-group): the cohort identifier, and per
     * member the risk flags and figures. The benchmark counts medications, long-term conditions and age from the
     * generated records; it does not count encounters (plan generation does not read them), so those figures are 0.
     */
    private static Group group(String id, List<Loaded> patients, String end) {
        Group group = new Group()
                .setActive(true)
                .setType(Group.GroupType.PERSON)
                .setActual(true)
                .setName("Care plan benchmark: " + patients.size() + " members")
                .setCode(new CodeableConcept(
                        new Coding(BASE + "/CodeSystem/cohort-kind", "targeted-proactive-support", null)));
        group.getMeta().addProfile(BASE + "/StructureDefinition/cohort-group");
        group.addIdentifier().setSystem(BASE + "/Id/cohort").setValue("benchmark|" + id);
        group.addExtension(
                BASE + "/StructureDefinition/cohort-period",
                new Period()
                        .setStartElement(new DateTimeType(end.substring(0, 4) + "-01-01"))
                        .setEndElement(new DateTimeType(end)));
        for (Loaded patient : patients) {
            Group.GroupMemberComponent member = group.addMember()
                    .setEntity(new Reference("Patient/" + patient.patient()))
                    .setInactive(false)
                    .setPeriod(new Period().setStartElement(new DateTimeType(end)));
            Extension figures = member.addExtension().setUrl(BASE + "/StructureDefinition/cohort-member-figures");
            for (String notCounted :
                    List.of("gpAttendances", "edAttendances", "unplannedAdmissions", "contacts999", "contacts111")) {
                figures.addExtension(notCounted, new UnsignedIntType(0));
            }
            figures.addExtension("distinctMedications", new UnsignedIntType(patient.medications()));
            figures.addExtension("longTermConditions", new UnsignedIntType(patient.longTermConditions()));
            figures.addExtension("age", new UnsignedIntType(patient.age()));
            for (String flag : patient.flags()) {
                member.addExtension(
                        BASE + "/StructureDefinition/cohort-member-risk-flag",
                        new Coding(BASE + "/CodeSystem/risk-flag", flag, null));
            }
        }
        group.setQuantity(patients.size());
        group.setId(id);
        return group;
    }

    private void put(URI base, Group group) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(base + "/Group/" + group.getIdElement().getIdPart()))
                .header("Content-Type", "application/fhir+json")
                .timeout(TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(R4.newJsonParser().encodeResourceToString(group)))
                .build();
        send(request);
    }

    private void post(URI base, String bundle) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base)
                .header("Content-Type", "application/fhir+json")
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(bundle))
                .build());
    }

    /**
     * Runs a care plan operation with {@code Prefer: respond-async} (a large cohort outlasts any HTTP timeout) and
     * waits for its result.
     */
    private Parameters operation(URI base, String path, String start, boolean dryRun, String cohort)
            throws IOException, InterruptedException {
        Parameters in = new Parameters();
        in.addParameter("start", new DateType(start));
        if (dryRun) {
            in.addParameter("dryRun", true);
        }
        if (cohort != null) {
            in.addParameter("cohort", new Reference(cohort));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + path))
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "respond-async")
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(R4.newJsonParser().encodeResourceToString(in)))
                .build();
        HttpResponse<String> accepted = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IOException(path + " answered " + accepted.statusCode() + ": " + accepted.body());
        }
        URI status =
                URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());
        while (true) {
            HttpResponse<String> polled = http.send(
                    HttpRequest.newBuilder(status)
                            .timeout(Duration.ofMinutes(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (polled.statusCode() == 202) {
                Thread.sleep(100);
                continue;
            }
            if (polled.statusCode() != 200) {
                throw new IOException(path + " failed: " + polled.statusCode() + ": " + polled.body());
            }
            Bundle done = R4.newJsonParser().parseResource(Bundle.class, polled.body());
            return (Parameters) done.getEntryFirstRep().getResource();
        }
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** Parameters of a name; with a status, the allocations of that status. */
    private static long count(Parameters result, String name, String status) {
        return result.getParameter().stream()
                .filter(p -> p.getName().equals(name))
                .filter(p -> status == null
                        || p.getPart().stream()
                                .anyMatch(part -> part.getName().equals("status")
                                        && status.equals(part.getValue().primitiveValue())))
                .count();
    }

    private String render(
            long patients,
            Duration ready,
            int living,
            double drySeconds,
            Parameters dry,
            double batchSeconds,
            Optional<CpuTime> cpu,
            long active,
            long waiting,
            double singleSeconds,
            double median) {
        Runtime runtime = Runtime.getRuntime();
        long plans = active + waiting;
        double perPlanBatch = batchSeconds * 1000 / Math.max(1, plans);
        double perPlanSingle = singleSeconds * 1000 / baseline;
        StringBuilder table = new StringBuilder();
        table.append("## Care plan generation\n\n");
        table.append(String.format(
                "%s, %d cores, server heap %s; generated population of %,d patients (%,d living loaded with their"
                        + " conditions); care role capacity %s; %s.%n%n",
                LocalDate.now(),
                runtime.availableProcessors(),
                heap,
                patients,
                living,
                capacity == 0 ? "as generated" : String.format("%,d each", capacity),
                validateEveryResource
                        ? "every generated resource validated"
                        : "one plan of each shape validated per run"));
        table.append("| step | patients | plans | s | ms per plan |\n|---|---:|---:|---:|---:|\n");
        table.append(String.format(
                "| dry run (allocation only, nothing stored) | %,d | %,d | %.1f | %.2f |%n",
                members, count(dry, "allocation", null), drySeconds, drySeconds * 1000 / members));
        table.append(String.format(
                "| Group/$generate-care-plans, one run (%,d active, %,d awaiting capacity) | %,d | %,d | %.1f | %.1f |%n",
                active, waiting, members, plans, batchSeconds, perPlanBatch));
        table.append(String.format(
                "| Patient/$generate-care-plan, one request each (median %.0f ms) | %,d | %,d | %.1f | %.1f |%n",
                median * 1000, baseline, baseline, singleSeconds, perPlanSingle));
        table.append(String.format(
                "%nOne patient at a time, %,d members would take about %.0f s: the one run is %.1fx faster per plan."
                        + " Target: 10,000 members in under 30 s on 2 cores, 3.0 ms a plan (measured %.1f ms a plan"
                        + " over %,d: %s).%n",
                members,
                perPlanSingle * members / 1000,
                perPlanSingle / perPlanBatch,
                perPlanBatch,
                members,
                perPlanBatch < TARGET_MS_PER_PLAN ? "met" : "not met"));
        cpu.ifPresent(used -> table.append(String.format(
                "Processor time used by the one run: server JVM %.1f s (every thread), PostgreSQL %.1f s, together"
                        + " %.1f s, %.1f ms a plan. On %d cores the run cannot take less than %.1f s (%.1f ms a plan),"
                        + " however its work were divided.%n",
                used.serverSeconds(),
                used.postgresSeconds(),
                used.totalSeconds(),
                used.totalSeconds() * 1000 / Math.max(1, plans),
                runtime.availableProcessors(),
                used.totalSeconds() / runtime.availableProcessors(),
                used.totalSeconds() * 1000 / runtime.availableProcessors() / Math.max(1, plans))));
        table.append(String.format("Server start-up: %d s.%n", ready.toSeconds()));
        return table.toString();
    }

    private void step(String what) {
        err.println("== " + what);
    }
}
