package example.proactivecare.projection.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ViewDefinitionEngineTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static ViewDefinitionEngine engine;

    @BeforeAll
    static void createEngine() {
        engine = new ViewDefinitionEngine(FHIR);
    }

    private static IBaseResource resource(String json) {
        return FHIR.newJsonParser().parseResource(json);
    }

    private static final String PATIENT =
            """
            {"resourceType": "Patient", "id": "p1", "active": true, "gender": "female", "birthDate": "1970-06",
             "name": [{"use": "official", "family": "Smith", "given": ["Ann", "May"]}, {"family": "Jones"}],
             "multipleBirthInteger": 2,
             "generalPractitioner": [
               {"reference": "Practitioner/gp1"},
               {"reference": "https://fhir.example/fhir/Organization/org1/_history/3"},
               {"reference": "#contained"},
               {"display": "no reference at all"}]}
            """;

    /** A view on Patient whose only select is {@code select} (JSON). */
    private static String patientView(String select) {
        return """
                {"resource": "Patient", "select": [%s]}
                """.formatted(select);
    }

    @Nested
    class Compiling {

        @Test
        void namesTheColumnWhosePathIsNotFhirPath() {
            // given a column whose path does not parse
            String view = patientView(
                    """
                    {"column": [{"name": "id", "path": "id"}, {"name": "last_name", "path": "name..family"}]}""");
            // when it is compiled / then the error says which column and which path
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("select[0].column[1] 'last_name'")
                    .hasMessageContaining("'name..family' is not valid FHIRPath");
        }

        @Test
        void rejectsAnElementTheResourceTypeDoesNotHave() {
            // given a misspelt element, which would otherwise give an empty column for ever
            String view =
                    patientView("""
                    {"column": [{"name": "family", "path": "nmae.family"}]}""");
            // then it is reported against the resource type
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("select[0].column[0] 'family'")
                    .hasMessageContaining("nmae")
                    .hasMessageContaining("Patient");
        }

        @Test
        void rejectsAnUndefinedConstantByName() {
            String view =
                    """
                    {"resource": "Patient", "constant": [{"name": "use", "valueCode": "official"}],
                     "select": [{"forEach": "name.where(use = %usage)", "column": [{"name": "f", "path": "family"}]}]}
                    """;
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("select[0].forEach")
                    .hasMessageContaining("%usage")
                    .hasMessageContaining("[use]");
        }

        @Test
        void rejectsAColumnNameUsedTwiceInTheView() {
            String view =
                    """
                    {"resource": "Patient", "select": [
                      {"column": [{"name": "id", "path": "id"}]},
                      {"forEach": "name", "column": [{"name": "id", "path": "family"}]}]}
                    """;
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("column 'id' is defined more than once");
        }

        @Test
        void rejectsAColumnNameThatCannotNameASqlColumn() {
            String view = patientView(
                    """
                    {"column": [{"name": "last-name", "path": "name.family.first()"}]}""");
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("'last-name'")
                    .hasMessageContaining("letters, digits and underscores");
        }

        @Test
        void rejectsAWherePathThatReturnsNoBoolean() {
            String view =
                    """
                    {"resource": "Patient", "select": [{"column": [{"name": "id", "path": "id"}]}],
                     "where": [{"path": "active"}, {"path": "name.family"}]}
                    """;
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("where[1]")
                    .hasMessageContaining("a collection of string")
                    .hasMessageContaining("must return a boolean");
        }

        @Test
        void rejectsAColumnThatWouldHoldAWholeElement() {
            String view =
                    patientView("""
                    {"column": [{"name": "name", "path": "name.first()"}]}""");
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("returns HumanName, not a primitive value");
        }

        @Test
        void rejectsAnElementTheModelDoesNotHave() {
            // given "colum", a typo that would otherwise silently drop the columns
            String view = patientView("""
                    {"colum": [{"name": "id", "path": "id"}]}""");
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("select[0]: unknown element 'colum'");
        }

        @Test
        void rejectsASelectThatIteratesTwice() {
            String view = patientView(
                    """
                    {"forEach": "name", "forEachOrNull": "address", "column": [{"name": "x", "path": "'x'"}]}""");
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("forEach and forEachOrNull");
        }

        @Test
        void rejectsGetReferenceKeyOfATypeR4DoesNotHave() {
            String view = patientView(
                    """
                    {"column": [{"name": "gp", "path": "generalPractitioner.getReferenceKey(Doctor)", "collection": true}]}""");
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("getReferenceKey(Doctor) must name a FHIR R4 resource type");
        }

        @Test
        void rejectsAViewWrittenForAnotherFhirVersionOnly() {
            String view =
                    """
                    {"resource": "Patient", "fhirVersion": ["5.0.0"],
                     "select": [{"column": [{"name": "id", "path": "id"}]}]}
                    """;
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("does not include FHIR R4");
        }

        @Test
        void rejectsAConstantWhoseValueIsNotOfItsType() {
            String view =
                    """
                    {"resource": "Patient", "constant": [{"name": "born", "valueDate": "12/03/1978"}],
                     "select": [{"column": [{"name": "b", "path": "birthDate = %born"}]}]}
                    """;
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("constant[0] 'born': valueDate is not a valid date");
        }

        @Test
        void rejectsUnionBranchesWithDifferentColumns() {
            String view = patientView(
                    """
                    {"unionAll": [
                      {"forEach": "name", "column": [{"name": "value", "path": "family"}]},
                      {"forEach": "telecom", "column": [{"name": "telecom", "path": "value"}]}]}""");
            assertThatThrownBy(() -> engine.compile(view))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining(
                            "select[0].unionAll[1]: its columns [telecom] differ from unionAll[0]'s [value]");
        }

        @Test
        void rejectsAResourceTypeR4DoesNotHave() {
            assertThatThrownBy(
                            () -> engine.compile(
                                    """
                            {"resource": "Spaceship", "select": [{"column": [{"name": "id", "path": "id"}]}]}"""))
                    .isInstanceOf(InvalidViewDefinitionException.class)
                    .hasMessageContaining("'Spaceship' is not a FHIR R4 resource type");
        }

        @Test
        void parsesEachExpressionOnceHoweverManyResourcesItEvaluates() {
            // given an engine whose FHIRPath engine counts what it parses
            AtomicInteger parses = new AtomicInteger();
            HapiWorkerContext worker = new HapiWorkerContext(FHIR, FHIR.getValidationSupport());
            FHIRPathEngine counting = new FHIRPathEngine(worker) {
                @Override
                public ExpressionNode parse(String path) {
                    parses.incrementAndGet();
                    return super.parse(path);
                }
            };
            ViewDefinitionEngine countingEngine = new ViewDefinitionEngine(FHIR, worker, counting);
            CompiledView view = countingEngine.compile(
                    """
                    {"resource": "Patient", "where": [{"path": "active"}], "select": [
                      {"column": [{"name": "id", "path": "getResourceKey()"}]},
                      {"forEach": "name", "column": [{"name": "family", "path": "family"}]}]}
                    """);
            assertThat(parses).hasValue(4);
            // when it is evaluated on a thousand resources
            IBaseResource patient = resource(PATIENT);
            for (int i = 0; i < 1000; i++) {
                assertThat(countingEngine.evaluate(view, patient)).hasSize(2);
            }
            // then nothing more was parsed
            assertThat(parses).hasValue(4);
        }
    }

    @Nested
    class Columns {

        @Test
        void comeInViewOrderWithTheirDeclaredOrInferredTypes() {
            // given columns with and without a declared type, at the top and inside a forEach
            CompiledView view = engine.compile(
                    """
                    {"resource": "Patient", "name": "patient_names", "select": [
                      {"column": [
                        {"name": "id", "path": "getResourceKey()"},
                        {"name": "gender", "path": "gender", "type": "code"},
                        {"name": "born", "path": "birthDate"},
                        {"name": "has_name", "path": "name.exists()"},
                        {"name": "givens", "path": "name.given", "collection": true}]},
                      {"forEach": "name", "column": [
                        {"name": "name_index", "path": "%rowIndex"},
                        {"name": "family", "path": "family"},
                        {"name": "birth_order", "path": "%resource.multipleBirth.ofType(integer)"}]}]}
                    """);
            // then columns() says what the projection needs to create the table
            assertThat(view.name()).isEqualTo("patient_names");
            assertThat(view.resource()).isEqualTo("Patient");
            assertThat(view.columns())
                    .containsExactly(
                            new ViewColumn("id", "string", false),
                            new ViewColumn("gender", "code", false),
                            new ViewColumn("born", "date", false),
                            new ViewColumn("has_name", "boolean", false),
                            new ViewColumn("givens", "string", true),
                            new ViewColumn("name_index", "integer", false),
                            new ViewColumn("family", "string", false),
                            new ViewColumn("birth_order", "integer", false));
        }
    }

    @Nested
    class Evaluating {

        @Test
        void givesPlainJavaValuesNullForNothingAndAListForACollection() {
            CompiledView view = engine.compile(
                    patientView(
                            """
                    {"column": [
                      {"name": "id", "path": "id"},
                      {"name": "active", "path": "active"},
                      {"name": "births", "path": "multipleBirth.ofType(integer)"},
                      {"name": "half", "path": "multipleBirth.ofType(integer) / 4"},
                      {"name": "deceased", "path": "deceased.ofType(dateTime)"},
                      {"name": "givens", "path": "name.given", "collection": true},
                      {"name": "aliases", "path": "name.suffix", "collection": true}]}"""));
            List<Row> rows = engine.evaluate(view, resource(PATIENT));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).values())
                    .containsExactly("p1", true, 2, new BigDecimal("0.5"), null, List.of("Ann", "May"), List.of());
        }

        @Test
        void givesNoRowsForAResourceOfAnotherType() {
            CompiledView view =
                    engine.compile(patientView("""
                    {"column": [{"name": "id", "path": "id"}]}"""));
            assertThat(engine.evaluate(view, new Observation().setId("o1"))).isEmpty();
        }

        @Test
        void reportsSeveralValuesInASingleValuedColumnNamingColumnAndResource() {
            CompiledView view = engine.compile(
                    patientView("""
                    {"column": [{"name": "family", "path": "name.family"}]}"""));
            assertThatThrownBy(() -> engine.evaluate(view, resource(PATIENT)))
                    .isInstanceOf(ViewEvaluationException.class)
                    .hasMessageContaining("select[0].column[0] 'family'")
                    .hasMessageContaining("returned 2 values for Patient/p1")
                    .hasMessageContaining("collection: true");
        }

        @Test
        void keysReferencesByTheIdTheyPointAtWhateverTheirForm() {
            // given references relative, absolute with a version, contained, and without a reference
            CompiledView view = engine.compile(
                    patientView(
                            """
                    {"column": [
                      {"name": "id", "path": "getResourceKey()"},
                      {"name": "any", "path": "generalPractitioner.getReferenceKey()", "collection": true},
                      {"name": "organizations", "path": "generalPractitioner.getReferenceKey(Organization)",
                       "collection": true}]}"""));
            // then each points at an id, only the contained one and the display-only one at nothing
            Row row = engine.evaluate(view, resource(PATIENT)).get(0);
            assertThat(row.get("id")).isEqualTo("p1");
            assertThat(row.get("any")).isEqualTo(List.of("gp1", "org1"));
            assertThat(row.get("organizations")).isEqualTo(List.of("org1"));
        }

        @Test
        void leavesTheResourceAndOtherColumnsUntouchedWhenItOrdersDateTimes() {
            // given a view that compares a dateTime with < and > (HAPI's engine rewrites such operands to UTC)
            CompiledView view = engine.compile(
                    """
                    {"resource": "Observation",
                     "where": [{"path": "effective.ofType(dateTime) > @2020-01-01T00:00:00Z"}],
                     "select": [{"column": [
                       {"name": "early", "path": "effective.ofType(dateTime) < @2021-06-01T00:00:00Z"},
                       {"name": "effective", "path": "effective.ofType(dateTime)"}]}]}
                    """);
            Observation observation = (Observation)
                    resource(
                            """
                    {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "weight"},
                     "effectiveDateTime": "2021-03-04T10:00:00+02:00"}
                    """);
            // when it is evaluated
            List<Row> rows = engine.evaluate(view, observation);
            // then the value is read as written, and the resource keeps it
            assertThat(rows)
                    .extracting(Row::asMap)
                    .containsExactly(java.util.Map.of("early", true, "effective", "2021-03-04T10:00:00+02:00"));
            assertThat(observation.getEffectiveDateTimeType().getValueAsString())
                    .isEqualTo("2021-03-04T10:00:00+02:00");
        }

        @Test
        void givesTheSameRowsFromManyThreadsAtOnce() throws Exception {
            // given a view with forEach, a constant and %rowIndex, and its rows from one thread
            CompiledView view = engine.compile(
                    """
                    {"resource": "Patient", "constant": [{"name": "official", "valueCode": "official"}],
                     "select": [
                       {"column": [{"name": "id", "path": "getResourceKey()"},
                                   {"name": "official", "path": "name.where(use = %official).family.first()"}]},
                       {"forEachOrNull": "name", "column": [{"name": "i", "path": "%rowIndex"},
                                                            {"name": "family", "path": "family"}]}]}
                    """);
            List<IBaseResource> patients = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                patients.add(resource(PATIENT.replace("\"p1\"", "\"p" + i + "\"")));
            }
            List<List<Row>> expected = patients.stream()
                    .map(patient -> engine.evaluate(view, patient))
                    .toList();
            // when four threads evaluate it on the same resources at the same time
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<List<Row>>>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(threads.submit(() -> {
                        List<List<Row>> rows = new ArrayList<>();
                        for (int round = 0; round < 20; round++) {
                            rows.clear();
                            patients.forEach(patient -> rows.add(engine.evaluate(view, patient)));
                        }
                        return rows;
                    }));
                }
                // then every thread gets the same rows
                for (Future<List<List<Row>>> result : results) {
                    assertThat(result.get()).isEqualTo(expected);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(expected.get(7))
                    .extracting(Row::values)
                    .containsExactly(List.of("p7", "Smith", 0, "Smith"), List.of("p7", "Smith", 1, "Jones"));
        }
    }

    @Nested
    class ARow {

        private final Row row = engine.evaluate(
                        engine.compile(
                                patientView(
                                        """
                                {"column": [{"name": "id", "path": "id"}, {"name": "gender", "path": "gender"}]}""")),
                        new Patient()
                                .setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE)
                                .setId("p2"))
                .get(0);

        @Test
        void readsByColumnNameOrPosition() {
            assertThat(row.get("gender")).isEqualTo("male");
            assertThat(row.get(0)).isEqualTo("p2");
            assertThat(row.asMap())
                    .containsExactly(java.util.Map.entry("id", "p2"), java.util.Map.entry("gender", "male"));
        }

        @Test
        void refusesAColumnTheViewDoesNotHave() {
            assertThatThrownBy(() -> row.get("birthDate"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("No column 'birthDate' in [id, gender]");
        }
    }
}
