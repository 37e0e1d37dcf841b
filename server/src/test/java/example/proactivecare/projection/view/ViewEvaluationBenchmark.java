package example.proactivecare.projection.view;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * A rough measure of what evaluating a view costs per resource, for the projection's write path. Not part of the
 * build (the class name does not end in Test); run it on its own:
 *
 * <pre>mvn -B -o -q -pl server -am test -Dtest=ViewEvaluationBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>and read the figures in {@code server/target/surefire-reports/*ViewEvaluationBenchmark-output.txt}.
 */
class ViewEvaluationBenchmark {

    private static final int RESOURCES = 100_000;

    private final FhirContext fhir = FhirContext.forR4Cached();

    @Test
    void evaluatesViewsOnAHundredThousandPatients() throws Exception {
        long start = System.nanoTime();
        ViewDefinitionEngine engine = new ViewDefinitionEngine(fhir);
        System.out.printf("engine created in %.0f ms%n", (System.nanoTime() - start) / 1e6);

        List<Patient> patients = new ArrayList<>(RESOURCES);
        for (int i = 0; i < RESOURCES; i++) {
            patients.add(patient(i));
        }

        String fiveColumns =
                """
                {"resource": "Patient", "select": [{"column": [
                  {"name": "id", "path": "getResourceKey()"},
                  {"name": "gender", "path": "gender"},
                  {"name": "birth_date", "path": "birthDate"},
                  {"name": "family", "path": "name.where(use = 'official').family.first()"},
                  {"name": "practice", "path": "generalPractitioner.getReferenceKey(Organization).first()"}]}]}
                """;
        measure(engine, "5 columns", fiveColumns, patients);
        measure(
                engine,
                "5 columns + where",
                fiveColumns.replace("\"select\"", "\"where\": [{\"path\": \"active\"}], \"select\""),
                patients);
        measure(
                engine,
                "forEach name (2 rows each)",
                """
                {"resource": "Patient", "select": [
                  {"column": [{"name": "id", "path": "getResourceKey()"}]},
                  {"forEach": "name", "column": [{"name": "i", "path": "%rowIndex"},
                                                  {"name": "family", "path": "family"},
                                                  {"name": "given", "path": "given.join(' ')"}]}]}
                """,
                patients);
        measure(
                engine,
                "where with a date comparison (evaluated on a copy)",
                fiveColumns.replace("\"select\"", "\"where\": [{\"path\": \"birthDate >= @1950-01-01\"}], \"select\""),
                patients);

        // two threads (the machine has two cores)
        CompiledView view = engine.compile(fiveColumns);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                long began = System.nanoTime();
                List<Future<Integer>> halves = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    List<Patient> half = patients.subList(t * RESOURCES / 2, (t + 1) * RESOURCES / 2);
                    halves.add(threads.submit(() -> {
                        int rows = 0;
                        for (Patient patient : half) {
                            rows += engine.evaluate(view, patient).size();
                        }
                        return rows;
                    }));
                }
                int rows = 0;
                for (Future<Integer> half : halves) {
                    rows += half.get();
                }
                double seconds = (System.nanoTime() - began) / 1e9;
                System.out.printf("5 columns, 2 threads: %,d rows, %.0f resources/s%n", rows, RESOURCES / seconds);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void measure(ViewDefinitionEngine engine, String label, String json, List<Patient> patients) {
        long began = System.nanoTime();
        CompiledView view = engine.compile(json);
        double compileMs = (System.nanoTime() - began) / 1e6;
        long rows = 0;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the first rounds warm the JIT up
            long start = System.nanoTime();
            rows = 0;
            for (Patient patient : patients) {
                rows += engine.evaluate(view, patient).size();
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e3 / patients.size());
        }
        assertThat(rows).isPositive();
        System.out.printf(
                "%s: compiled in %.1f ms; %,d resources -> %,d rows; best of 5 rounds %.2f µs/resource%n",
                label, compileMs, patients.size(), rows, best);
    }

    private static Patient patient(int i) {
        Patient patient = new Patient();
        patient.setId("p" + i);
        patient.setActive(i % 2 == 0);
        patient.setGender(i % 3 == 0 ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        patient.getBirthDateElement().setValueAsString((1930 + i % 80) + "-0" + (1 + i % 9) + "-1" + (i % 9));
        patient.addName(new HumanName()
                .setUse(HumanName.NameUse.OFFICIAL)
                .setFamily("Family" + i)
                .addGiven("Given" + i)
                .addGiven("Middle"));
        patient.addName(new HumanName().setUse(HumanName.NameUse.MAIDEN).setFamily("Maiden" + i));
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("943476591" + (i % 10));
        patient.addGeneralPractitioner(new Reference("Organization/practice" + (i % 50)));
        return patient;
    }
}
