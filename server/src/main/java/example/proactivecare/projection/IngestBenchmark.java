package example.proactivecare.projection;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import example.proactivecare.identifiers.NhsNumber;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * The ingest benchmark: GP-sync transaction bundles posted over HTTP to this server, alternately with the projection
 * writing its rows and with it paused, in the same run, on the same database. Prints a table of median rates and the
 * cost of the projection, writes it to a file, and exits.
 *
 * <p>Run it on a throw-away data folder: {@code java -jar server/target/proactive-care-server.jar
 * --proactivecare.benchmark=ingest --proactivecare.data-dir=target/benchmark-db --proactivecare.durable=false}.
 */
class IngestBenchmark implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(IngestBenchmark.class);
    private static final int ROUNDS = 6;
    private static final int BUNDLES_PER_ROUND = 4;
    private static final int PATIENTS_PER_BUNDLE = 10;
    private static final int ENCOUNTERS_PER_PATIENT = 8;
    private static final int MEDICATIONS_PER_PATIENT = 4;

    private final ApplicationContext context;
    private final ProjectionInterceptor projection;
    private final FhirContext fhirContext;
    private int nextNhsNumber = 900_000_000;

    IngestBenchmark(ApplicationContext context, ProjectionInterceptor projection, FhirContext fhirContext) {
        this.context = context;
        this.projection = projection;
        this.fhirContext = fhirContext;
    }

    @Override
    public void run(ApplicationArguments args) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhirContext.getRestfulClientFactory().setSocketTimeout(300_000);
        IGenericClient client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        long warmUp = System.nanoTime();
        client.transaction().withBundle(bundle()).execute(); // warm-up: JIT, validator, connection pool
        LOG.info(
                "Ingest benchmark: warm-up bundle of {} resources took {} ms",
                resourcesPerBundle(),
                (System.nanoTime() - warmUp) / 1_000_000);

        long[] before = projection.resourcesAndNanos();
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            // alternate which goes first, so neither side always runs on a warmer JVM or a fuller database
            boolean onFirst = round % 2 == 0;
            (onFirst ? on : off).add(round(client, !onFirst));
            (onFirst ? off : on).add(round(client, onFirst));
            LOG.info("Ingest benchmark: round {} of {} done", round + 1, ROUNDS);
        }
        projection.pause(false);
        long[] after = projection.resourcesAndNanos();
        double microsPerResource = (after[1] - before[1]) / 1e3 / Math.max(1, after[0] - before[0]);

        double medianOn = median(on);
        double medianOff = median(off);
        String table = String.format(
                Locale.ROOT,
                """
                Ingest benchmark: %d rounds of %d transaction bundles, each %d patients with %d encounters and %d \
                medication statements (%d resources per bundle), over HTTP
                | projection | median resources/s | rounds (resources/s) |
                |---|---|---|
                | on (rows written in the same transaction) | %.0f | %s |
                | off (baseline) | %.0f | %s |
                Projection cost: %.1f%% of throughput (on/off = %.3f)
                Time in the projection (rows evaluated and written, inside the transaction): %.0f µs per resource
                Whole ingest with the projection on: %.0f µs per resource
                """,
                ROUNDS,
                BUNDLES_PER_ROUND,
                PATIENTS_PER_BUNDLE,
                ENCOUNTERS_PER_PATIENT,
                MEDICATIONS_PER_PATIENT,
                resourcesPerBundle(),
                medianOn,
                format(on),
                medianOff,
                format(off),
                100 * (1 - medianOn / medianOff),
                medianOn / medianOff,
                microsPerResource,
                1e6 / medianOn);
        System.out.println(table);
        try {
            Path file = Path.of("target", "benchmark-ingest.md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, table);
            System.out.println("Written to " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.exit(SpringApplication.exit(context));
    }

    /** One round: the bundles posted with the projection paused or not; answers resources per second. */
    private double round(IGenericClient client, boolean paused) {
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 0; i < BUNDLES_PER_ROUND; i++) {
            bundles.add(bundle());
        }
        projection.pause(paused);
        long start = System.nanoTime();
        for (Bundle bundle : bundles) {
            client.transaction().withBundle(bundle).execute();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return BUNDLES_PER_ROUND * resourcesPerBundle() / seconds;
    }

    private static int resourcesPerBundle() {
        return 1 + PATIENTS_PER_BUNDLE * (1 + ENCOUNTERS_PER_PATIENT + MEDICATIONS_PER_PATIENT);
    }

    private Bundle bundle() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Organization practice = new Organization().setName("Benchmark Surgery");
        practice.addIdentifier()
                .setSystem("https://fhir.nhs.uk/Id/ods-organization-code")
                .setValue("Y99999");
        String practiceUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        bundle.addEntry()
                .setFullUrl(practiceUrl)
                .setResource(practice)
                .getRequest()
                .setMethod(HTTPVerb.PUT)
                .setUrl("Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|Y99999");
        LocalDate day = LocalDate.of(2025, 1, 1);
        for (int p = 0; p < PATIENTS_PER_BUNDLE; p++) {
            String nhsNumber = nextNhsNumber();
            Patient patient = new Patient().setBirthDateElement(new DateType("1950-01-01"));
            patient.addIdentifier()
                    .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                    .setValue(nhsNumber);
            patient.addGeneralPractitioner(new Reference(practiceUrl));
            String patientUrl = "urn:uuid:" + java.util.UUID.randomUUID();
            bundle.addEntry()
                    .setFullUrl(patientUrl)
                    .setResource(patient)
                    .getRequest()
                    .setMethod(HTTPVerb.POST)
                    .setUrl("Patient");
            for (int e = 0; e < ENCOUNTERS_PER_PATIENT; e++) {
                Encounter encounter = new Encounter()
                        .setStatus(Encounter.EncounterStatus.FINISHED)
                        .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                        .setSubject(new Reference(patientUrl))
                        .setServiceProvider(new Reference(practiceUrl));
                encounter.addType(new CodeableConcept(new Coding("http://snomed.info/sct", "185317003", null)));
                encounter.getPeriod().setStartElement(new DateTimeType(day.plusDays(e * 30L) + "T09:00:00Z"));
                bundle.addEntry()
                        .setResource(encounter)
                        .getRequest()
                        .setMethod(HTTPVerb.POST)
                        .setUrl("Encounter");
            }
            for (int m = 0; m < MEDICATIONS_PER_PATIENT; m++) {
                MedicationStatement medication = new MedicationStatement()
                        .setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
                        .setSubject(new Reference(patientUrl))
                        .setMedication(new CodeableConcept(
                                new Coding("https://benchmark.example/medication", "MED-" + m, null)))
                        .setEffective(new DateTimeType("2025-0" + (m + 1) + "-01"));
                bundle.addEntry()
                        .setResource(medication)
                        .getRequest()
                        .setMethod(HTTPVerb.POST)
                        .setUrl("MedicationStatement");
            }
        }
        return bundle;
    }

    /** The next valid NHS number (Modulus 11) of the benchmark's own range. */
    private String nextNhsNumber() {
        while (true) {
            String stem = Integer.toString(nextNhsNumber++);
            for (char check = '0'; check <= '9'; check++) {
                if (NhsNumber.isValid(stem + check)) {
                    return stem + check;
                }
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(List<Double> values) {
        return String.join(
                ", ",
                values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }
}
