package example.proactivecare.bulkexport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code Group/[id]/$export} of a stored cohort: two patients still in the cohort, one who left it (inactive), one who
 * never qualified; each with an Encounter history, a MedicationStatement, a Condition and a CarePlan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CohortBulkExportTest extends FhirServerTest {

    private static final String TYPES = "Patient,Encounter,MedicationStatement,Condition,CarePlan";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestRecords records = new TestRecords();
    private final HttpClient http = http();
    private Group cohort;

    @BeforeAll
    void storeACohortWhoseMembershipRolledForward() {
        connectClient();
        records.organization("bx-practice", null);
        for (String patient : List.of("bx-stays-1", "bx-stays-2", "bx-left", "bx-never")) {
            records.patient(patient, "bx-practice", "1960-05-01");
            records.medication(patient, "50001", "2021-02-01", null);
            records.add(condition(patient));
            records.add(carePlan(patient));
            records.add(encounterAtThePractice(patient));
        }
        // 21 GP attendances in 2021 and in 2022 stay; 21 in 2021 only leave at the 2022 refresh; 5 never qualify
        records.gpAttendances("bx-stays-1", 21, "2021-01-04T09:00");
        records.gpAttendances("bx-stays-1", 21, "2022-01-04T09:00");
        records.gpAttendances("bx-stays-2", 21, "2021-01-05T09:00");
        records.gpAttendances("bx-stays-2", 21, "2022-01-05T09:00");
        records.gpAttendances("bx-left", 21, "2021-01-06T09:00");
        records.gpAttendances("bx-never", 5, "2021-01-06T09:00");
        records.store(client);

        refresh("2021-12-31");
        cohort = refresh("2022-12-31");
    }

    @Test
    void theCohortGroupListsTheMemberWhoLeftAsInactive() {
        assertThat(cohort.getMember())
                .extracting(m -> m.getEntity().getReference(), Group.GroupMemberComponent::getInactive)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Patient/bx-left", true),
                        org.assertj.core.groups.Tuple.tuple("Patient/bx-stays-1", false),
                        org.assertj.core.groups.Tuple.tuple("Patient/bx-stays-2", false));
    }

    @Test
    void aCohortExportHoldsExactlyItsActiveMembersResourcesAsNdjson() throws Exception {
        Map<String, List<IBaseResource>> exported = export(cohort.getIdElement().getIdPart(), TYPES);

        assertThat(exported).containsOnlyKeys("Patient", "Encounter", "MedicationStatement", "Condition", "CarePlan");
        assertThat(ids(exported.get("Patient"))).containsExactlyInAnyOrder("bx-stays-1", "bx-stays-2");
        // 21 + 21 GP attendances each, and the encounter that refers to the practice (which is not exported)
        assertThat(exported.get("Encounter")).hasSize(86);
        for (String type : List.of("Encounter", "MedicationStatement", "Condition", "CarePlan")) {
            assertThat(exported.get(type))
                    .as(type)
                    .extracting(CohortBulkExportTest::subject)
                    .containsOnly("Patient/bx-stays-1", "Patient/bx-stays-2")
                    .contains("Patient/bx-stays-1", "Patient/bx-stays-2");
        }
        assertThat(exported.get("MedicationStatement")).hasSize(2);
        assertThat(exported.get("Condition")).hasSize(2);
        assertThat(exported.get("CarePlan")).hasSize(2);
    }

    @Test
    void theTypeFilterLimitsTheExportToTheTypesAsked() throws Exception {
        Map<String, List<IBaseResource>> exported = export(cohort.getIdElement().getIdPart(), "Patient,CarePlan");

        assertThat(exported).containsOnlyKeys("Patient", "CarePlan");
        assertThat(ids(exported.get("CarePlan"))).containsExactlyInAnyOrder("bx-stays-1-plan", "bx-stays-2-plan");
    }

    @Test
    void aKickOffWithoutPreferRespondAsyncIs400() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(
                                baseUrl() + "/Group/" + cohort.getIdElement().getIdPart() + "/$export"))
                        .header("Accept", "application/fhir+json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("OperationOutcome");
    }

    @Test
    void anUnknownGroupIsNotExported() throws Exception {
        HttpResponse<String> response = kickOff("no-such-group", TYPES);

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.body()).contains("OperationOutcome");
    }

    private Group refresh(String periodEnd) {
        Parameters result = client.operation()
                .onType(Group.class)
                .named("$frequent-attenders")
                .withParameter(Parameters.class, "cohort", new CodeType("gp-frequent-attender"))
                .andParameter("scope", new Reference("Organization/bx-practice"))
                .andParameter("periodEnd", new DateType(periodEnd))
                .execute();
        return (Group) result.getParameter("return").getResource();
    }

    private HttpResponse<String> kickOff(String group, String types) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/Group/" + group + "/$export?_type=" + types))
                        .header("Prefer", "respond-async")
                        .header("Accept", "application/fhir+json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Kicks off, polls until done, and reads every output file: the resources of each type. */
    private Map<String, List<IBaseResource>> export(String group, String types) throws Exception {
        HttpResponse<String> accepted = kickOff(group, types);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        URI status =
                URI.create(accepted.headers().firstValue("Content-Location").orElseThrow());

        HttpResponse<String> polled;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        do {
            Thread.sleep(500);
            polled = http.send(
                    HttpRequest.newBuilder(status)
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } while (polled.statusCode() == 202 && Instant.now().isBefore(deadline));
        assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);

        JsonNode manifest = JSON.readTree(polled.body());
        Map<String, List<IBaseResource>> exported = new HashMap<>();
        for (JsonNode output : manifest.get("output")) {
            HttpResponse<String> file = http.send(
                    HttpRequest.newBuilder(URI.create(output.get("url").asText()))
                            .header("Accept", "application/fhir+ndjson")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            List<IBaseResource> resources =
                    exported.computeIfAbsent(output.get("type").asText(), t -> new ArrayList<>());
            file.body()
                    .lines()
                    .filter(line -> !line.isBlank())
                    .forEach(line -> resources.add(FHIR.newJsonParser().parseResource(line)));
        }
        return exported;
    }

    private static List<String> ids(List<IBaseResource> resources) {
        return resources.stream().map(r -> r.getIdElement().getIdPart()).toList();
    }

    private static String subject(IBaseResource resource) {
        Reference subject = (Reference) FHIR.newTerser().getSingleValueOrNull(resource, "subject", Reference.class);
        return subject == null
                ? null
                : subject.getReferenceElement().toUnqualifiedVersionless().getValue();
    }

    /** An encounter that refers to the practice, so an export that followed references would hold it. */
    private static Encounter encounterAtThePractice(String patient) {
        Encounter encounter = new Encounter()
                .setStatus(Encounter.EncounterStatus.PLANNED)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                .setSubject(new Reference("Patient/" + patient))
                .setServiceProvider(new Reference("Organization/bx-practice"));
        encounter.setId(patient + "-planned");
        return encounter;
    }

    private static Condition condition(String patient) {
        Condition condition = new Condition()
                .setSubject(new Reference("Patient/" + patient))
                .setCode(new CodeableConcept(new Coding(TestRecords.SCT, "38341003", "Hypertensive disorder")));
        condition.setId(patient + "-condition");
        return condition;
    }

    private static CarePlan carePlan(String patient) {
        CarePlan plan = new CarePlan()
                .setStatus(CarePlan.CarePlanStatus.DRAFT)
                .setIntent(CarePlan.CarePlanIntent.PLAN)
                .setSubject(new Reference("Patient/" + patient));
        plan.setId(patient + "-plan");
        return plan;
    }
}
