package example.proactivecare.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import example.proactivecare.support.FhirServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The analytic projection follows every write, in the write's own transaction. */
class ProjectionTest extends FhirServerTest {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";

    @Autowired
    private DataSource dataSource;

    @Autowired
    private ProjectionRebuilder rebuilder;

    @Autowired
    private DaoRegistry daoRegistry;

    @Autowired
    private PlatformTransactionManager transactions;

    private JdbcTemplate sql;

    @BeforeEach
    void connectToTheProjection() {
        sql = new JdbcTemplate(dataSource);
    }

    private List<Map<String, Object>> rows(String table, String id) {
        return sql.queryForList("SELECT * FROM proactivecare." + table + " WHERE id = ?", id);
    }

    /** The sample GP sync bundle, for a practice and patient of this test's own, so other tests' data is untouched. */
    private static Bundle gpSyncBundle() {
        String ownPracticeAndPatient =
                sample("gp-sync-bundle.json").replace("Y00001", "Y00077").replace("9434765919", "9434766079");
        return FHIR.newJsonParser().parseResource(Bundle.class, ownPracticeAndPatient);
    }

    private Patient patient(String nhsNumber, String birthDate) {
        Patient patient = new Patient().setBirthDateElement(new DateType(birthDate));
        patient.addIdentifier().setSystem(NHS).setValue(nhsNumber);
        return patient;
    }

    @Nested
    class IncrementalMaintenance {

        @Test
        void aResourcesRowsAppearWithIt() {
            IIdType id = client.create()
                    .resource(patient("9434766001", "1941-06-30"))
                    .execute()
                    .getId();

            assertThat(rows("patient", id.getIdPart())).singleElement().satisfies(row -> {
                assertThat(row).containsEntry("nhs_number", "9434766001");
                assertThat(row.get("birth_date")).hasToString("1941-06-30");
            });
        }

        @Test
        void itsRowsChangeWithItsUpdate() {
            Patient patient = patient("9434766028", "1950-01-01");
            IIdType id = client.create().resource(patient).execute().getId().toUnqualifiedVersionless();

            client.update()
                    .resource(patient.setBirthDateElement(new DateType("1950-02-02"))
                            .setId(id))
                    .execute();

            assertThat(rows("patient", id.getIdPart()))
                    .singleElement()
                    .satisfies(row -> assertThat(row.get("birth_date")).hasToString("1950-02-02"));
        }

        @Test
        void itsRowsVanishWithItsDelete() {
            IIdType id = client.create()
                    .resource(patient("9434766036", "1960-05-05"))
                    .execute()
                    .getId()
                    .toUnqualifiedVersionless();

            client.delete().resourceById(id).execute();

            assertThat(rows("patient", id.getIdPart())).isEmpty();
        }

        @Test
        void aFailedTransactionLeavesNoRows() {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            Patient patient = patient("9434766052", "1970-01-01");
            patient.addName().setFamily("Rollback");
            transaction
                    .addEntry()
                    .setFullUrl("urn:uuid:7f1d3b3e-1111-4c9a-9a55-000000000001")
                    .setResource(patient)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Patient");
            Encounter broken = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
            broken.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null));
            broken.setSubject(new Reference("Patient/does-not-exist"));
            transaction
                    .addEntry()
                    .setResource(broken)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Encounter");

            assertThatThrownBy(
                            () -> client.transaction().withBundle(transaction).execute())
                    .isInstanceOf(BaseServerResponseException.class);
            assertThat(sql.queryForObject(
                            "SELECT count(*) FROM proactivecare.patient p WHERE p.birth_date = DATE '1970-01-01'",
                            Integer.class))
                    .isZero();
        }

        @Test
        void rowsWrittenByAStoreThatRollsBackAreRolledBackWithIt() {
            // given a store that has written the patient and its rows, and then fails
            TransactionTemplate transaction = new TransactionTemplate(transactions);
            String[] id = new String[1];
            transaction.executeWithoutResult(status -> {
                id[0] = daoRegistry
                        .getResourceDao(Patient.class)
                        .create(patient("9434766060", "1980-08-08"), new SystemRequestDetails())
                        .getId()
                        .getIdPart();
                assertThat(rows("patient", id[0]))
                        .as("rows inside the transaction")
                        .hasSize(1);
                status.setRollbackOnly();
            });

            // then neither the patient nor its rows remain
            assertThat(rows("patient", id[0])).isEmpty();
        }

        @Test
        void theGpSyncBundleProjectsEveryEntryAndResendingItChangesNothing() {
            Bundle response = client.transaction().withBundle(gpSyncBundle()).execute();
            List<String> encounterIds = response.getEntry().stream()
                    .map(e -> e.getResponse().getLocation())
                    .filter(location -> location.startsWith("Encounter/"))
                    .map(location -> location.split("/")[1])
                    .toList();
            int before = sql.queryForObject("SELECT count(*) FROM proactivecare.encounter", Integer.class);

            client.transaction().withBundle(gpSyncBundle()).execute();

            assertThat(encounterIds).hasSize(2).allSatisfy(id -> assertThat(rows("encounter", id))
                    .singleElement()
                    .satisfies(row -> assertThat(row.get("category")).isNotNull()));
            assertThat(sql.queryForObject("SELECT count(*) FROM proactivecare.encounter", Integer.class))
                    .isEqualTo(before);
        }

        @Test
        void aConditionHasARowForEachOfItsCodings() {
            IIdType patient = client.create()
                    .resource(patient("9434766044", "1948-03-03"))
                    .execute()
                    .getId();
            Condition copd = new Condition().setSubject(new Reference(patient.toUnqualifiedVersionless()));
            copd.setCode(new CodeableConcept()
                    .addCoding(new Coding("http://snomed.info/sct", "13645005", "Chronic obstructive lung disease"))
                    .addCoding(new Coding("https://emis.example/codes", "EMISCOPD", null)));

            IIdType id = client.create().resource(copd).execute().getId();

            assertThat(rows("condition", id.getIdPart()))
                    .extracting(row -> row.get("code"))
                    .containsExactlyInAnyOrder("13645005", "EMISCOPD");
        }
    }

    @Nested
    class Rebuild {

        @Test
        void aRebuildRestoresTheRowsTheCurrentMappingsGive() {
            client.transaction().withBundle(gpSyncBundle()).execute();
            List<Map<String, Object>> fresh = everyEncounterRow();
            // as if classified by an older mapping
            sql.update("UPDATE proactivecare.encounter SET category = 'unclassified', mode = NULL");

            var rebuilt = rebuilder.rebuild((done, total, stage) -> {});

            assertThat(everyEncounterRow()).isEqualTo(fresh);
            assertThat(rebuilt).containsEntry("encounter", (long) fresh.size());
        }

        @Test
        void rebuildViewsAnswersWithTheRowsOfEachView() {
            client.transaction().withBundle(gpSyncBundle()).execute();

            Parameters result = client.operation()
                    .onServer()
                    .named("$rebuild-views")
                    .withNoParameters(Parameters.class)
                    .execute();

            assertThat(result.getParameter())
                    .filteredOn(p -> p.getName().equals("view"))
                    .extracting(p -> p.getPart().get(0).getValue().primitiveValue())
                    .contains("patient", "practice", "encounter", "medication_statement", "condition", "task");
        }

        @Test
        void rebuildViewsRespondsAsynchronouslyWithAStatusUrlThatEndsInTheResult() throws Exception {
            HttpClient http = http();
            HttpResponse<String> accepted = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/$rebuild-views"))
                            .header("Prefer", "respond-async")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).isEqualTo(202);
            URI status =
                    URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());

            HttpResponse<String> polled;
            do {
                Thread.sleep(200);
                polled = http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
                if (polled.statusCode() == 202) {
                    assertThat(polled.headers().firstValue("X-Progress")).isPresent();
                }
            } while (polled.statusCode() == 202);

            assertThat(polled.statusCode()).isEqualTo(200);
            Bundle done = FHIR.newJsonParser().parseResource(Bundle.class, polled.body());
            assertThat(done.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
            assertThat(done.getEntryFirstRep().getResource()).isInstanceOf(Parameters.class);
        }

        private List<Map<String, Object>> everyEncounterRow() {
            return sql.queryForList("SELECT * FROM proactivecare.encounter ORDER BY id");
        }
    }
}
