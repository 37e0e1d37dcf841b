package example.proactivecare.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.gclient.DateClientParam;
import example.proactivecare.support.FhirServerTest;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** What a GP system reads back: changes since its last sync, page by page, and a patient's whole record. */
class ReadBackTest extends FhirServerTest {

    @Test
    void changesSinceALastSyncArePagedBy_lastUpdated() throws Exception {
        // given a sync point, then three new encounters for a new patient
        Date syncPoint = new Date();
        Thread.sleep(5);
        IdType patient = storePatientWithEncounters("9434765927", 3);

        // when the GP system asks for what changed since, two at a time
        Bundle page = client.search()
                .forResource(Encounter.class)
                .where(new DateClientParam("_lastUpdated").afterOrEquals().millis(syncPoint))
                .sort()
                .ascending("_lastUpdated")
                .count(2)
                .returnBundle(Bundle.class)
                .execute();
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (page != null) {
            pages++;
            page.getEntry()
                    .forEach(e -> seen.add(e.getResource()
                            .getIdElement()
                            .toUnqualifiedVersionless()
                            .getValue()));
            page = page.getLink(Bundle.LINK_NEXT) == null
                    ? null
                    : client.loadPage().next(page).execute();
        }

        // then it sees exactly the three encounters, over two pages
        assertThat(pages).isEqualTo(2);
        assertThat(seen).hasSize(3).allSatisfy(id -> assertThat(id).startsWith("Encounter/"));
        List<String> subjects = client
                .search()
                .forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId(patient))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(subjects);
    }

    @Test
    void patientEverythingReturnsThePatientAndTheirEncounters() {
        IdType patient = storePatientWithEncounters("4857773457", 2);

        Bundle everything = client.operation()
                .onInstance(patient)
                .named("$everything")
                .withNoParameters(Parameters.class)
                .returnResourceType(Bundle.class)
                .execute();

        List<String> types = everything.getEntry().stream()
                .map(e -> e.getResource().fhirType())
                .toList();
        assertThat(types).containsOnlyOnce("Patient");
        assertThat(types.stream().filter("Encounter"::equals)).hasSize(2);
    }

    @Test
    void aTokenSearchWithAnUnencodedBarIsAnswered() throws Exception {
        // given a patient, searched for as curl users and many GP systems write it: system|value, bar not encoded
        storePatientWithEncounters("9000000025", 0);
        String request = "GET /fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9000000025&_summary=count"
                + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAccept: application/fhir+json\r\nAuthorization: Bearer "
                + token()
                + "\r\nConnection: close\r\n\r\n";

        String response;
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 200").containsPattern("\"total\"\\s*:\\s*1\\b");
    }

    private IdType storePatientWithEncounters(String nhsNumber, int encounters) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber);
        String patientUrl = "urn:uuid:7c0e5b1a-2f3d-4e5f-8a9b-" + nhsNumber + "00";
        bundle.addEntry()
                .setFullUrl(patientUrl)
                .setResource(patient)
                .getRequest()
                .setMethod(HTTPVerb.PUT)
                .setUrl("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|" + nhsNumber);
        for (int i = 0; i < encounters; i++) {
            Encounter encounter = new Encounter();
            encounter.setStatus(Encounter.EncounterStatus.FINISHED);
            encounter
                    .getClass_()
                    .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                    .setCode("AMB");
            encounter.setSubject(new Reference(patientUrl));
            bundle.addEntry()
                    .setResource(encounter)
                    .getRequest()
                    .setMethod(HTTPVerb.POST)
                    .setUrl("Encounter");
        }
        Bundle response = client.transaction().withBundle(bundle).execute();
        return new IdType(response.getEntryFirstRep().getResponse().getLocation()).toUnqualifiedVersionless();
    }
}
