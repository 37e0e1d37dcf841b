package example.proactivecare.benchmark.cql;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupPopulationComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.opencds.cqf.fhir.cr.measure.r4.utils.R4MeasureServiceUtils;

/**
 * The benchmark's clinical reasoning baseline: the {@code gp-frequent-attender} cohort computed by HAPI's {@code
 * Measure/$evaluate-measure} (cqf-fhir-cr-hapi) from an equivalent CQL measure, as an ICS tool would compute it. It talks
 * HTTP to a running server started with the Spring profile {@code clinical-reasoning} ({@link ClinicalReasoningConfig})
 * and needs no Spring itself.
 *
 * <p>{@link #install()} stores the measure's value sets (derived from the ConceptMaps, {@link GpAttendanceValueSets}),
 * its Library (the CQL text of {@code benchmark/cql/GpFrequentAttenders.cql}, base64 in {@code content.data}) and its
 * Measure, each by {@code PUT} of a fixed id; {@link #evaluate} runs {@code $evaluate-measure} over every patient with
 * {@code reportType=subject-list} and reads the members from the report's subject-results List.
 *
 * <p>The period is the 12 months ending on {@code periodEnd}: {@code periodStart = periodEnd - 12 months + 1 day}, from
 * local midnight starting periodStart to local midnight ending periodEnd, in {@link
 * ClinicalReasoningConfig#DEFAULT_TIMEZONE} (sent as the {@code Timezone} header).
 */
public final class CqlCohortBaseline {

    public static final String MEASURE_ID = "benchmark-cql-gp-frequent-attenders";
    public static final int DEFAULT_THRESHOLD = 20;
    static final String RESOURCES = "benchmark/cql/";
    static final String CQL_FILE = RESOURCES + "GpFrequentAttenders.cql";
    static final String LIBRARY_FILE = RESOURCES + "Library-gp-frequent-attenders.json";
    static final String MEASURE_FILE = RESOURCES + "Measure-gp-frequent-attenders.json";
    static final String THRESHOLD_PARAMETER = "Attendance Threshold";
    static final String EVALUATION_TIME_PARAMETER = "Evaluation Time";
    static final String FHIR_JSON = "application/fhir+json";

    /**
     * One evaluation: the member patients' ids (sorted, without the {@code Patient/} prefix), the time the {@code
     * $evaluate-measure} request took (installing the content is not counted), and the report itself.
     */
    public record Result(List<String> members, Duration elapsed, MeasureReport report) {}

    private final FhirContext fhir;
    private final URI fhirBase;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param fhirBase the server's FHIR base URL, e.g. {@code http://localhost:8080/fhir}
     * @param timeout how long one request may take; a whole-population evaluation takes minutes
     */
    public CqlCohortBaseline(FhirContext fhir, URI fhirBase, Duration timeout) {
        this.fhir = fhir;
        this.fhirBase = URI.create(fhirBase.toString().replaceAll("/+$", "") + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Runs the baseline against a running server and prints the time and the members: {@code <fhir base URL>
     * <periodEnd> [threshold]}. For trying it by hand, from the server jar: {@code java -cp proactive-care-server.jar
     * -Dloader.main=example.proactivecare.benchmark.cql.CqlCohortBaseline
     * org.springframework.boot.loader.launch.PropertiesLauncher http://localhost:8080/fhir 2021-12-31}.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: CqlCohortBaseline <fhir base URL> <periodEnd yyyy-mm-dd> [threshold]");
            System.exit(2);
        }
        CqlCohortBaseline baseline =
                new CqlCohortBaseline(FhirContext.forR4(), URI.create(args[0]), Duration.ofHours(1));
        baseline.install();
        LocalDate periodEnd = LocalDate.parse(args[1]);
        int threshold = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_THRESHOLD;
        Result result = baseline.evaluate(periodEnd, threshold);
        System.out.printf(
                "$evaluate-measure %s to %s, threshold %d: %d members in %.1f s%n",
                periodStart(periodEnd),
                periodEnd,
                threshold,
                result.members().size(),
                result.elapsed().toMillis() / 1000.0);
        result.members().forEach(System.out::println);
    }

    /** The first day of the 12 months ending on periodEnd. */
    public static LocalDate periodStart(LocalDate periodEnd) {
        return periodEnd.minusMonths(12).plusDays(1);
    }

    /** Installs the value sets, the Library and the Measure, and evaluates the measure with the default threshold. */
    public Result run(LocalDate periodEnd) throws IOException, InterruptedException {
        install();
        return evaluate(periodEnd, DEFAULT_THRESHOLD);
    }

    /** Stores (creates or updates) the measure's value sets, Library and Measure on the server. */
    public void install() throws IOException, InterruptedException {
        put(supplementalDataSearchParameter());
        for (ValueSet valueSet : GpAttendanceValueSets.fromClasspath(fhir)) {
            put(valueSet);
        }
        put(library());
        put(fhir.newJsonParser().parseResource(Measure.class, classpathText(MEASURE_FILE)));
    }

    /**
     * The DEQM supplemental-data SearchParameter, as valid R4. Clinical reasoning 4.4.0 creates it, conditionally on
     * {@code code=supplemental-data}, at the start of every {@code $evaluate-measure}, but with a {@code title} element
     * that R4's SearchParameter does not have; this server validates every resource it stores, rejects it, and the
     * operation fails with 422. Stored beforehand without that element, it makes clinical reasoning's create a no-op.
     */
    static SearchParameter supplementalDataSearchParameter() {
        SearchParameter searchParameter = R4MeasureServiceUtils.SUPPLEMENTAL_DATA_SEARCHPARAMETER.copy();
        searchParameter.setTitle(null);
        return searchParameter;
    }

    /** The Library as installed: the JSON file with the CQL file's text as its content. */
    Library library() {
        Library library = fhir.newJsonParser().parseResource(Library.class, classpathText(LIBRARY_FILE));
        library.getContentFirstRep().setData(classpathText(CQL_FILE).getBytes(StandardCharsets.UTF_8));
        return library;
    }

    /**
     * Evaluates the installed measure over every patient on the server, for the 12 months ending on periodEnd; members
     * have more than {@code threshold} GP attendances in that period. Encounters after the moment of the request are in
     * the future: it is sent as the CQL's {@code Evaluation Time}, since clinical reasoning's own {@code Now()} is the
     * server's local wall-clock time labelled with the offset of the period's start.
     */
    public Result evaluate(LocalDate periodEnd, int threshold) throws IOException, InterruptedException {
        Parameters cqlParameters = new Parameters();
        cqlParameters.addParameter().setName(THRESHOLD_PARAMETER).setValue(new IntegerType(threshold));
        cqlParameters
                .addParameter()
                .setName(EVALUATION_TIME_PARAMETER)
                .setValue(new DateTimeType(
                        Date.from(Instant.now()), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC")));
        Parameters parameters = new Parameters();
        parameters.addParameter(
                "periodStart", new StringType(periodStart(periodEnd).toString()));
        parameters.addParameter("periodEnd", new StringType(periodEnd.toString()));
        parameters.addParameter("reportType", new StringType("subject-list"));
        parameters.addParameter().setName("parameters").setResource(cqlParameters);

        HttpRequest request = HttpRequest.newBuilder(fhirBase.resolve("Measure/" + MEASURE_ID + "/$evaluate-measure"))
                .timeout(timeout)
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .header("Timezone", ClinicalReasoningConfig.DEFAULT_TIMEZONE.getId())
                .POST(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(parameters)))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        check(response, "$evaluate-measure");
        MeasureReport report = fhir.newJsonParser().parseResource(MeasureReport.class, response.body());
        return new Result(members(report), elapsed, report);
    }

    /**
     * The patients of the report's initial population, from its subject-results List (none when it has no List). A
     * report whose evaluation failed for any patient (clinical reasoning then still answers 200, with status {@code
     * error} and an OperationOutcome per failure contained in the report) is an error here, never a smaller cohort.
     */
    static List<String> members(MeasureReport report) {
        if (report.getStatus() == MeasureReport.MeasureReportStatus.ERROR) {
            List<OperationOutcome> outcomes = report.getContained().stream()
                    .filter(OperationOutcome.class::isInstance)
                    .map(OperationOutcome.class::cast)
                    .toList();
            throw new IllegalStateException("$evaluate-measure failed for " + outcomes.size() + " evaluations; the"
                    + " first: "
                    + outcomes.stream()
                            .flatMap(o -> o.getIssue().stream())
                            .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                            .findFirst()
                            .orElse("(no diagnostics)"));
        }
        MeasureReportGroupPopulationComponent population = report.getGroupFirstRep().getPopulation().stream()
                .filter(p -> p.getCode().getCoding().stream().anyMatch(c -> "initial-population".equals(c.getCode())))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The MeasureReport has no initial-population"));
        TreeSet<String> members = new TreeSet<>();
        if (population.hasSubjectResults()) {
            String listId = population.getSubjectResults().getReference().replaceFirst("^#", "");
            ListResource list = report.getContained().stream()
                    .filter(ListResource.class::isInstance)
                    .map(ListResource.class::cast)
                    .filter(l -> listId.equals(l.getIdElement().getIdPart().replaceFirst("^#", "")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "The MeasureReport's subject results #" + listId + " are not contained in it"));
            for (ListResource.ListEntryComponent entry : list.getEntry()) {
                String reference = entry.getItem().getReference();
                members.add(reference.substring(reference.lastIndexOf('/') + 1));
            }
        }
        if (population.getCount() != members.size()) {
            throw new IllegalStateException("The MeasureReport counts " + population.getCount()
                    + " in its initial population but lists " + members.size());
        }
        return new ArrayList<>(members);
    }

    private void put(Resource resource) throws IOException, InterruptedException {
        String path = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        HttpRequest request = HttpRequest.newBuilder(fhirBase.resolve(path))
                .timeout(timeout)
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(resource)))
                .build();
        check(http.send(request, HttpResponse.BodyHandlers.ofString()), "PUT " + path);
    }

    private static void check(HttpResponse<String> response, String what) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw new IOException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static String classpathText(String path) {
        try (InputStream in = Objects.requireNonNull(
                CqlCohortBaseline.class.getClassLoader().getResourceAsStream(path),
                path + " is not on the classpath")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
