package example.proactivecare.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import example.proactivecare.support.FhirServerTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** A GP clinical system syncing into the server with FHIR transactions. */
class GpSyncTest extends FhirServerTest {

    private static final List<String> SYNCED_TYPES =
            List.of("Organization", "Patient", "Encounter", "MedicationStatement");

    @Test
    void metadataAnswersWithACapabilityStatementListingTheClinicalAndCareTypes() {
        CapabilityStatement capabilities =
                client.capabilities().ofType(CapabilityStatement.class).execute();

        List<String> types = capabilities.getRestFirstRep().getResource().stream()
                .map(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
                .toList();
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(types)
                .contains(
                        "Patient",
                        "Organization",
                        "Practitioner",
                        "PractitionerRole",
                        "Encounter",
                        "MedicationStatement",
                        "MedicationRequest",
                        "Condition",
                        "Group",
                        "CarePlan",
                        "CareTeam",
                        "Task",
                        "Goal",
                        "ServiceRequest",
                        "Questionnaire",
                        "QuestionnaireResponse",
                        "MeasureReport",
                        "Measure",
                        "Subscription",
                        "AuditEvent",
                        "Provenance",
                        "StructureDefinition",
                        "OperationDefinition",
                        "CodeSystem",
                        "ValueSet",
                        "ConceptMap");
    }

    @Test
    void aGpTransactionIsStoredWholeAndSendingItAgainCreatesNothingNew() {
        // given the sample sync bundle: a practice, a patient, two encounters and two medication statements
        Map<String, Integer> before = counts();
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, sample("gp-sync-bundle.json"));

        // when the GP system sends it
        Bundle first = client.transaction().withBundle(bundle).execute();

        // then every entry is created, in one go
        assertThat(first.getEntry())
                .hasSize(6)
                .allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("201"));
        assertThat(counts())
                .containsEntry("Organization", before.get("Organization") + 1)
                .containsEntry("Patient", before.get("Patient") + 1)
                .containsEntry("Encounter", before.get("Encounter") + 2)
                .containsEntry("MedicationStatement", before.get("MedicationStatement") + 2);
        Map<String, Integer> afterFirst = counts();

        // when it sends exactly the same bundle again
        Bundle second = client.transaction()
                .withBundle(FHIR.newJsonParser().parseResource(Bundle.class, sample("gp-sync-bundle.json")))
                .execute();

        // then nothing new exists, and no resource got a new version
        assertThat(counts()).isEqualTo(afterFirst);
        for (int i = 0; i < second.getEntry().size(); i++) {
            BundleEntryComponent entry = second.getEntry().get(i);
            assertThat(entry.getResponse().getStatus()).startsWith("200");
            assertThat(entry.getResponse().getLocation())
                    .isEqualTo(first.getEntry().get(i).getResponse().getLocation());
        }
    }

    @Test
    void aPatientWithAnInvalidNhsNumberIsRejectedWith422NamingTheIdentifier() {
        Map<String, Integer> before = counts();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9434765918");

        assertThatThrownBy(() -> client.create().resource(patient).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(422);
                    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                    assertThat(outcome.getIssueFirstRep().getDiagnostics())
                            .contains("9434765918")
                            .contains("Modulus 11")
                            .contains("https://fhir.nhs.uk/Id/nhs-number");
                    assertThat(outcome.getIssueFirstRep().getExpression().get(0).getValue())
                            .isEqualTo("Patient.identifier[0].value");
                });
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anNhsNumberThatIsNotTenDigitsIsRejectedWith422() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("943476591");

        assertThatThrownBy(() -> client.create().resource(patient).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> assertThat(e.getStatusCode())
                        .isEqualTo(422));
    }

    @Test
    void malformedJsonIsRejectedWith400AndAnOperationOutcomeSayingWhere() throws Exception {
        Map<String, Integer> before = counts();

        HttpResponse<String> response = post("/Patient", "{\"resourceType\":\"Patient\", \"name\": [");

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .contains("Failed to parse")
                .contains("line: 1");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anUnknownResourceTypeIsRejectedWith404AndAnOperationOutcome() throws Exception {
        HttpResponse<String> response = post("/Spaceship", "{\"resourceType\":\"Spaceship\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Unknown resource type 'Spaceship'");
    }

    @Test
    void aReferenceToAMissingResourceIsRejectedWith4xx() {
        Encounter encounter = encounter(new Reference("Patient/does-not-exist"));

        assertThatThrownBy(() -> client.create().resource(encounter).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isBetween(400, 499);
                    assertThat(((OperationOutcome) e.getOperationOutcome())
                                    .getIssueFirstRep()
                                    .getDiagnostics())
                            .contains("Patient/does-not-exist");
                });
    }

    @Test
    void aResourceInvalidAgainstTheBaseSpecIsRejectedWith4xxSayingWhere() throws Exception {
        // Encounter.status is mandatory (checked by the validator before storage: 422),
        // and Patient.gender is a closed code list (rejected by the strict parser: 400)
        HttpResponse<String> noStatus = post(
                "/Encounter",
                """
                {"resourceType":"Encounter",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"}}""");
        HttpResponse<String> badGender = post("/Patient", "{\"resourceType\":\"Patient\",\"gender\":\"robot\"}");

        assertThat(noStatus.statusCode()).isEqualTo(422);
        assertThat(noStatus.body()).contains("Encounter.status");
        assertThat(badGender.statusCode()).isEqualTo(400);
        assertThat(badGender.body()).contains("gender").contains("robot");
    }

    @Test
    void aTransactionWithOneBadEntryIsRolledBackWhole() {
        // given a transaction whose first entries are fine and whose last entry refers to a missing patient
        Map<String, Integer> before = counts();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9000000017");
        patient.setGender(AdministrativeGender.MALE);
        bundle.addEntry()
                .setFullUrl("urn:uuid:0d4a39a4-5b44-4f0e-a6f4-9a2b1c000001")
                .setResource(patient)
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Patient");
        bundle.addEntry()
                .setResource(encounter(new Reference("urn:uuid:0d4a39a4-5b44-4f0e-a6f4-9a2b1c000001")))
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Encounter");
        bundle.addEntry()
                .setResource(encounter(new Reference("Patient/not-here")))
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Encounter");

        // when it is sent, then it fails as a client error that names the bad reference
        assertThatThrownBy(() -> client.transaction().withBundle(bundle).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isBetween(400, 499);
                    assertThat(e.getMessage()).contains("Patient/not-here");
                });
        // and nothing of it was stored
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aTransactionWithAnInvalidNhsNumberIsRolledBackWhole() {
        Map<String, Integer> before = counts();
        String bad = sample("gp-sync-bundle.json")
                .replace("9434765919", "9434765918")
                .replace("Y00001-E-0001", "Y00001-E-9001")
                .replace("Y00001-E-0002", "Y00001-E-9002");

        assertThatThrownBy(() -> client.transaction()
                        .withBundle(FHIR.newJsonParser().parseResource(Bundle.class, bad))
                        .execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> assertThat(e.getStatusCode())
                        .isEqualTo(422));
        assertThat(counts()).isEqualTo(before);
    }

    private static Encounter encounter(Reference subject) {
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter
                .getClass_()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("AMB");
        encounter.setSubject(subject);
        return encounter;
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        SYNCED_TYPES.forEach(type -> counts.put(type, count(type)));
        return counts;
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
