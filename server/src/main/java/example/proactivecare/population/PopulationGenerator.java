package example.proactivecare.population;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.cli.ProgressBar;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates the population into {@code --out}: {@code 00-organizations.ndjson}, one {@code practice-<ODS>.ndjson} per
 * practice (written in parallel, one practice a task), then {@code manifest.json} and the summary. Each patient's
 * random stream comes from (seed, patient index) alone, so the files are the same whatever the number of threads.
 */
final class PopulationGenerator {

    static final String ORGANIZATIONS_FILE = "00-organizations.ndjson";

    /** One written file: its name, bundles and resources by type, and (for a practice) its statistics. */
    record FileResult(String name, long bundles, long[] resources, PopulationStats stats) {

        long totalResources() {
            long total = 0;
            for (long count : resources) {
                total += count;
            }
            return total;
        }
    }

    private final GeneratorOptions options;
    private final Window window;
    private final EncounterTemplates templates;
    private final FhirWriter.TemplateJson[] templateJson;
    private final int[] templateCategory;
    private final Terminology terminology;
    private final IcsStructure structure;
    private final PatientSimulator simulator;

    PopulationGenerator(GeneratorOptions options) {
        this.options = options;
        this.window = new Window(options.start(), options.end());
        FhirContext fhirContext = FhirContext.forR4Cached();
        this.templates = EncounterTemplates.fromClasspath(fhirContext);
        this.templateJson =
                templates.all().stream().map(FhirWriter.TemplateJson::of).toArray(FhirWriter.TemplateJson[]::new);
        this.templateCategory = templates.all().stream()
                .mapToInt(t -> PopulationStats.CATEGORIES.indexOf(t.category()))
                .toArray();
        this.terminology = Terminology.fromClasspath(fhirContext);
        ConditionCatalog conditions = ConditionCatalog.load(terminology);
        MedicineCatalog medicines = MedicineCatalog.load(conditions);
        this.structure = IcsStructure.generate(options.seed(), options.patients());
        this.simulator = new PatientSimulator(options, window, templates, conditions, medicines, structure);
    }

    IcsStructure structure() {
        return structure;
    }

    EncounterTemplates templates() {
        return templates;
    }

    Window window() {
        return window;
    }

    /** Generates everything; returns the merged statistics and the files in load order. */
    Result run(ProgressBar progress) throws IOException {
        long startNanos = System.nanoTime();
        Files.createDirectories(options.out());
        removePreviousOutput(options.out());
        List<FileResult> files = new ArrayList<>();
        files.add(writeOrganizations(options.out().resolve(ORGANIZATIONS_FILE)));

        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), runnable -> {
            Thread thread = new Thread(runnable, "generate");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<FileResult>> futures = new ArrayList<>();
            for (IcsStructure.Practice practice : structure.practices) {
                futures.add(pool.submit(() -> writePractice(practice, progress)));
            }
            for (Future<FileResult> future : futures) {
                files.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }

        PopulationStats stats = newStats();
        for (FileResult file : files) {
            if (file.stats() != null) {
                stats.merge(file.stats());
            }
            for (int i = 0; i < file.resources().length; i++) {
                stats.resources[i] += file.resources()[i];
            }
            stats.bundles += file.bundles();
        }
        Result result = new Result(options, structure, window, files, stats);
        Manifest.write(options.out().resolve("manifest.json"), result);
        Summary.write(options.out(), result, Duration.ofNanos(System.nanoTime() - startNanos));
        return result;
    }

    /** What a run made. */
    record Result(
            GeneratorOptions options,
            IcsStructure structure,
            Window window,
            List<FileResult> files,
            PopulationStats stats) {}

    private PopulationStats newStats() {
        return new PopulationStats(window.months.size(), window.end.getYear() - window.start.getYear() + 1);
    }

    /** Files a previous run left (a larger population has more practice files): removed, so none is stale. */
    private static void removePreviousOutput(Path out) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(
                out, "{00-organizations.ndjson,practice-*.ndjson,manifest.json,summary.md,summary.json}")) {
            for (Path path : stream) {
                Files.delete(path);
            }
        }
    }

    private static OutputStream open(Path path) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
    }

    // --- organisations ----------------------------------------------------------------------------------------------

    private FileResult writeOrganizations(Path path) throws IOException {
        CareRoles roles = CareRoles.from(terminology);
        SplittableRandom random = Randoms.stream(options.seed(), -2);
        String practiceType = FhirWriter.raw(List.of(new Coding(FhirWriter.ODS_ROLE_SYSTEM, "76", "GP PRACTICE")));
        try (FhirWriter writer = new FhirWriter(open(path))) {
            writer.beginBundle();
            IcsStructure.Organisation icb = structure.icb;
            writer.organization(icb.id(), icb.ods(), icb.name(), null, true, FhirWriter.text("Integrated care board"));
            for (IcsStructure.Organisation locality : structure.localities) {
                writer.organization(
                        locality.id(), locality.ods(), locality.name(), icb.id(), true, FhirWriter.text("Locality"));
            }
            for (IcsStructure.Organisation trust : structure.trusts) {
                writer.organization(trust.id(), trust.ods(), trust.name(), null, false, FhirWriter.text("NHS trust"));
            }
            writer.endBundle();
            for (IcsStructure.Pcn pcn : structure.pcns) {
                writer.beginBundle();
                writer.organization(
                        pcn.id(),
                        pcn.ods(),
                        pcn.name(),
                        structure.localities.get(pcn.locality()).id(),
                        true,
                        FhirWriter.text("Primary care network"));
                for (IcsStructure.Practice practice : pcn.practices()) {
                    writer.organization(practice.id(), practice.ods(), practice.name(), pcn.id(), true, practiceType);
                }
                writer.endBundle();

                writer.beginBundle();
                for (IcsStructure.Practice practice : pcn.practices()) {
                    for (int gp = 1; gp <= practice.gps(); gp++) {
                        roles.write(writer, random, CareRoles.Role.GP, practice.ods(), practice.id(), gp);
                    }
                    for (int nurse = 1; nurse <= IcsStructure.NURSES_PER_PRACTICE; nurse++) {
                        roles.write(
                                writer, random, CareRoles.Role.PRACTICE_NURSE, practice.ods(), practice.id(), nurse);
                    }
                }
                for (CareRoles.Role role : CareRoles.Role.PCN_ROLES) {
                    roles.write(writer, random, role, pcn.ods(), pcn.id(), 1);
                }
                writer.endBundle();
            }
            return new FileResult(path.getFileName().toString(), writer.bundles, writer.counts.clone(), null);
        }
    }

    // --- practices --------------------------------------------------------------------------------------------------

    static String practiceFile(IcsStructure.Practice practice) {
        return "practice-" + practice.ods() + ".ndjson";
    }

    private FileResult writePractice(IcsStructure.Practice practice, ProgressBar progress) throws IOException {
        Path path = options.out().resolve(practiceFile(practice));
        PopulationStats stats = newStats();
        try (FhirWriter writer = new FhirWriter(open(path))) {
            int end = practice.firstPatient() + practice.patients();
            for (int first = practice.firstPatient(); first < end; first += options.patientsPerBundle()) {
                int last = Math.min(end, first + options.patientsPerBundle());
                writer.beginBundle();
                for (int index = first; index < last; index++) {
                    writePatient(writer, simulator.simulate(index), stats);
                }
                writer.endBundle();
                if (progress != null) {
                    progress.advance(last - first);
                }
            }
            return new FileResult(path.getFileName().toString(), writer.bundles, writer.counts.clone(), stats);
        }
    }

    private void writePatient(FhirWriter writer, PatientRecord patient, PopulationStats stats) throws IOException {
        writer.patient(patient, window);
        int ltcs = 0;
        for (int i = 0; i < patient.conditions.size(); i++) {
            PatientRecord.Condition condition = patient.conditions.get(i);
            writer.condition(patient.childId("con", i + 1, 2), patient, condition, window);
            if (!condition.group().psychosocial()) {
                ltcs++;
            }
        }
        int gpLastYear = 0;
        int edLastYear = 0;
        for (int i = 0; i < patient.encounters.size(); i++) {
            PatientRecord.Encounter encounter = patient.encounters.get(i);
            EncounterTemplates.Template template = templates.get(encounter.template());
            writer.encounter(
                    patient.childId("enc", i + 1, 4),
                    patient,
                    encounter,
                    template,
                    templateJson[template.id()],
                    window);
            int category = templateCategory[template.id()];
            stats.categories[category]++;
            int day = encounter.startDay();
            int month = window.monthOf(day);
            boolean lastYear = day >= window.lastYearStart && day <= window.endDay;
            if (category == 0) {
                int mode = template.modeIndex();
                stats.modes[mode]++;
                if (month >= 0) {
                    stats.gpByMonth[month]++;
                    stats.modeByMonth[month][mode]++;
                }
                if (lastYear) {
                    gpLastYear++;
                }
            } else if (template.category().equals(EncounterTemplates.ED)) {
                if (month >= 0) {
                    stats.edByMonth[month]++;
                }
                if (lastYear) {
                    edLastYear++;
                }
            }
            if (encounter.defect() != null) {
                stats.defects[encounter.defect().ordinal()]++;
            }
        }
        int distinctLastYear = 0;
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < patient.medications.size(); i++) {
            PatientRecord.Medication medication = patient.medications.get(i);
            writer.medicationStatement(patient.childId("med", i + 1, 2), patient, medication, window);
            if (medication.defect() != null) {
                stats.defects[medication.defect().ordinal()]++;
            }
            if (medication.startDay() <= window.endDay
                    && medication.endDay() >= window.lastYearStart
                    && codes.add(medication.medicine().coding().code())) {
                distinctLastYear++;
            }
        }

        stats.patients++;
        int lastDay = Math.min(window.endDay, patient.deathDay);
        stats.patientDays += lastDay - window.startDay + 1;
        if (patient.deceased()) {
            stats.deaths++;
            stats.deathsByYear[java.time.LocalDate.ofEpochDay(patient.deathDay).getYear() - window.start.getYear()]++;
        }
        if (patient.deathDay >= window.lastYearStart) {
            int bucket = Math.min(gpLastYear, PopulationStats.HISTOGRAM_SIZE - 1);
            stats.gpHistogram[bucket]++;
            stats.edByGpBucket[bucket] += edLastYear;
            if (bucket == PopulationStats.HISTOGRAM_SIZE - 1) {
                stats.overflowGp += gpLastYear;
            }
        }
        boolean aliveAtEnd = patient.deathDay > window.endDay;
        if (aliveAtEnd && ltcs >= 2) {
            stats.twoPlusLtcs++;
        }
        if (aliveAtEnd && patient.ageAt(window.endDay) >= 75) {
            stats.over75++;
            stats.over75Medicines += distinctLastYear;
            if (distinctLastYear >= 10) {
                stats.over75TenPlus++;
            }
            if (ltcs >= 2) {
                stats.over75TwoPlusLtcs++;
            }
        }
    }
}
