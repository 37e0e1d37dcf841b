package example.proactivecare.support;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Hand-built GP records for HTTP tests: organisations, patients, encounters and medications with ids of the test's
 * choosing, stored in one transaction of PUTs, as a GP system would sync them. Times are London wall-clock times.
 */
public final class TestRecords {

    public static final String SCT = "http://snomed.info/sct";
    /** Seen in GP's surgery: a face-to-face GP attendance by the mappings. */
    public static final String GP_SURGERY = "185202000";

    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private final List<Resource> resources = new ArrayList<>();
    private int serial;

    public TestRecords organization(String id, String partOf) {
        Organization organization = new Organization().setName("Test " + id);
        organization.setId(id);
        if (partOf != null) {
            organization.setPartOf(new Reference("Organization/" + partOf));
        }
        return add(organization);
    }

    /** An organisation with an ODS code, as a practice, PCN or locality sends it. */
    public TestRecords organization(String id, String partOf, String odsCode) {
        organization(id, partOf);
        ((Organization) resources.get(resources.size() - 1))
                .addIdentifier()
                .setSystem("https://fhir.nhs.uk/Id/ods-organization-code")
                .setValue(odsCode);
        return this;
    }

    public TestRecords patient(String id, String practice, String birthDate) {
        Patient patient = new Patient().setBirthDateElement(new DateType(birthDate));
        patient.addGeneralPractitioner(new Reference("Organization/" + practice));
        patient.setId(id);
        return add(patient);
    }

    /** {@code count} finished GP surgery attendances a week apart from {@code first}. */
    public TestRecords gpAttendances(String patient, int count, String first) {
        LocalDateTime start = LocalDateTime.parse(first);
        for (int i = 0; i < count; i++) {
            encounter(
                    patient,
                    SCT,
                    GP_SURGERY,
                    "AMB",
                    Encounter.EncounterStatus.FINISHED,
                    start.plusWeeks(i).toString());
        }
        return this;
    }

    /** An encounter of ten minutes with one type coding and an ActCode class. */
    public TestRecords encounter(
            String patient,
            String typeSystem,
            String type,
            String classCode,
            Encounter.EncounterStatus status,
            String start) {
        Date at = Date.from(LocalDateTime.parse(start).atZone(LONDON).toInstant());
        Encounter encounter = new Encounter()
                .setStatus(status)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", classCode, null))
                .setSubject(new Reference("Patient/" + patient))
                .setPeriod(new Period().setStart(at).setEnd(new Date(at.getTime() + 600_000)));
        encounter.addType(new CodeableConcept(new Coding(typeSystem, type, null)));
        encounter.setId(patient + "-enc-" + (++serial));
        return add(encounter);
    }

    /** A MedicationStatement of a dm+d code over [start, end]; active when it has no end, completed otherwise. */
    public TestRecords medication(String patient, String code, String start, String end) {
        MedicationStatement statement = new MedicationStatement()
                .setStatus(
                        end == null
                                ? MedicationStatement.MedicationStatementStatus.ACTIVE
                                : MedicationStatement.MedicationStatementStatus.COMPLETED)
                .setMedication(new CodeableConcept(new Coding("https://dmd.nhs.uk", code, null)))
                .setSubject(new Reference("Patient/" + patient))
                .setEffective(new Period()
                        .setStartElement(new DateTimeType(start))
                        .setEndElement(end == null ? null : new DateTimeType(end)));
        statement.setId(patient + "-med-" + (++serial));
        return add(statement);
    }

    public TestRecords add(Resource resource) {
        resources.add(resource);
        return this;
    }

    /** Stores everything added, in one transaction. */
    public void store(IGenericClient client) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource resource : resources) {
            transaction
                    .addEntry()
                    .setResource(resource)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        client.transaction().withBundle(transaction).execute();
        resources.clear();
    }
}
