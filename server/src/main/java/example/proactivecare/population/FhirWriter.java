package example.proactivecare.population;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes FHIR R4 transaction Bundles as NDJSON, one compact Bundle a line, with Jackson's streaming generator: every
 * entry a {@code PUT <Type>/<id>} of a resource with a client-assigned id, so replaying a line changes nothing.
 */
final class FhirWriter implements Closeable {

    /** The resource types written, in the order the manifest and summary list them. */
    enum Type {
        Organization,
        Practitioner,
        PractitionerRole,
        Patient,
        Condition,
        Encounter,
        MedicationStatement
    }

    static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    static final String ODS_ROLE_SYSTEM =
            "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/ODSOrganisationRoleType";
    static final String PRACTICE_PROFILE = Terminology.BASE + "/StructureDefinition/practice-organization";
    static final String ROLE_PROFILE = Terminology.BASE + "/StructureDefinition/care-practitioner-role";
    static final String CAPACITY_EXTENSION = Terminology.BASE + "/StructureDefinition/caseload-capacity";

    private static final JsonFactory FACTORY = JsonFactory.builder().build().setRootValueSeparator(null);

    private final OutputStream out;
    private final JsonGenerator json;
    final long[] counts = new long[Type.values().length];
    long bundles;

    FhirWriter(OutputStream out) {
        try {
            this.out = out;
            this.json = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long resources() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    void beginBundle() throws IOException {
        json.writeStartObject();
        json.writeStringField("resourceType", "Bundle");
        json.writeStringField("type", "transaction");
        json.writeArrayFieldStart("entry");
    }

    void endBundle() throws IOException {
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
        bundles++;
    }

    @Override
    public void close() throws IOException {
        json.close();
        out.close();
    }

    // --- organisations and people ---------------------------------------------------------------------------------

    /** An ICB, locality, PCN or practice (claiming practice-organization), or a trust (claiming nothing). */
    void organization(String id, String ods, String name, String partOf, boolean practiceProfile, String typeRaw)
            throws IOException {
        beginEntry(Type.Organization, id);
        if (practiceProfile) {
            profile(PRACTICE_PROFILE);
        }
        json.writeArrayFieldStart("identifier");
        json.writeStartObject();
        json.writeStringField("system", ODS_SYSTEM);
        json.writeStringField("value", ods);
        json.writeEndObject();
        json.writeEndArray();
        json.writeBooleanField("active", true);
        json.writeFieldName("type");
        json.writeRawValue("[" + typeRaw + "]");
        json.writeStringField("name", name);
        if (partOf != null) {
            reference("partOf", "Organization/" + partOf);
        }
        endEntry(Type.Organization, id);
    }

    void practitioner(String id, String prefix, String given, String family, boolean female) throws IOException {
        beginEntry(Type.Practitioner, id);
        json.writeBooleanField("active", true);
        json.writeArrayFieldStart("name");
        json.writeStartObject();
        json.writeStringField("family", family);
        json.writeArrayFieldStart("given");
        json.writeString(given);
        json.writeEndArray();
        if (prefix != null) {
            json.writeArrayFieldStart("prefix");
            json.writeString(prefix);
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeEndArray();
        json.writeStringField("gender", female ? "female" : "male");
        endEntry(Type.Practitioner, id);
    }

    void practitionerRole(String id, String practitionerId, String organizationId, String codeRaw, int capacity)
            throws IOException {
        beginEntry(Type.PractitionerRole, id);
        profile(ROLE_PROFILE);
        json.writeArrayFieldStart("extension");
        json.writeStartObject();
        json.writeStringField("url", CAPACITY_EXTENSION);
        json.writeNumberField("valueUnsignedInt", capacity);
        json.writeEndObject();
        json.writeEndArray();
        json.writeBooleanField("active", true);
        reference("practitioner", "Practitioner/" + practitionerId);
        reference("organization", "Organization/" + organizationId);
        json.writeFieldName("code");
        json.writeRawValue("[" + codeRaw + "]");
        endEntry(Type.PractitionerRole, id);
    }

    // --- a patient's record ---------------------------------------------------------------------------------------

    void patient(PatientRecord patient, Window window) throws IOException {
        beginEntry(Type.Patient, patient.id);
        json.writeArrayFieldStart("identifier");
        json.writeStartObject();
        json.writeStringField("system", example.proactivecare.identifiers.NhsNumber.SYSTEM);
        json.writeStringField("value", patient.nhsNumber);
        json.writeEndObject();
        json.writeEndArray();
        json.writeArrayFieldStart("name");
        json.writeStartObject();
        json.writeStringField("use", "official");
        json.writeStringField("family", patient.family);
        json.writeArrayFieldStart("given");
        json.writeString(patient.given);
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
        json.writeStringField("gender", patient.female ? "female" : "male");
        json.writeStringField("birthDate", window.date(patient.birthDay));
        if (patient.deceased()) {
            json.writeStringField("deceasedDateTime", window.date(patient.deathDay));
        }
        json.writeArrayFieldStart("generalPractitioner");
        json.writeStartObject();
        json.writeStringField("reference", "Organization/" + patient.practice.id());
        json.writeEndObject();
        json.writeEndArray();
        reference("managingOrganization", "Organization/" + patient.practice.id());
        endEntry(Type.Patient, patient.id);
    }

    static final String CLINICAL_STATUS =
            raw(List.of(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
    static final String VERIFICATION_STATUS = raw(List.of(
            new Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")));
    static final String PROBLEM_LIST = "["
            + raw(List.of(new Coding(
                    "http://terminology.hl7.org/CodeSystem/condition-category",
                    "problem-list-item",
                    "Problem List Item")))
            + "]";

    void condition(String id, PatientRecord patient, PatientRecord.Condition condition, Window window)
            throws IOException {
        beginEntry(Type.Condition, id);
        json.writeFieldName("clinicalStatus");
        json.writeRawValue(CLINICAL_STATUS);
        json.writeFieldName("verificationStatus");
        json.writeRawValue(VERIFICATION_STATUS);
        json.writeFieldName("category");
        json.writeRawValue(PROBLEM_LIST);
        json.writeFieldName("code");
        json.writeRawValue(cached(condition.code()));
        reference("subject", "Patient/" + patient.id);
        json.writeStringField("onsetDateTime", window.date(condition.onsetDay()));
        endEntry(Type.Condition, id);
    }

    /** The JSON of a template's codes, built once. */
    record TemplateJson(String encounterClass, String type, String serviceType, String priority, String admitSource) {

        static TemplateJson of(EncounterTemplates.Template template) {
            return new TemplateJson(
                    codingRaw(template.encounterClass()),
                    template.type() == null ? null : "[" + raw(List.of(template.type())) + "]",
                    template.serviceType() == null ? null : raw(List.of(template.serviceType())),
                    template.priority() == null ? null : raw(List.of(template.priority())),
                    template.admitSource() == null ? null : raw(List.of(template.admitSource())));
        }
    }

    void encounter(
            String id,
            PatientRecord patient,
            PatientRecord.Encounter encounter,
            EncounterTemplates.Template template,
            TemplateJson codes,
            Window window)
            throws IOException {
        beginEntry(Type.Encounter, id);
        if (template.gpSystem()) {
            profile(EncounterTemplates.GP_ENCOUNTER_PROFILE);
        }
        json.writeStringField("status", encounter.minutes() == 0 ? "in-progress" : template.status());
        json.writeFieldName("class");
        json.writeRawValue(codes.encounterClass());
        if (codes.type() != null) {
            json.writeFieldName("type");
            json.writeRawValue(codes.type());
        }
        if (codes.serviceType() != null) {
            json.writeFieldName("serviceType");
            json.writeRawValue(codes.serviceType());
        }
        if (codes.priority() != null) {
            json.writeFieldName("priority");
            json.writeRawValue(codes.priority());
        }
        reference("subject", "Patient/" + patient.id);
        json.writeObjectFieldStart("period");
        json.writeStringField("start", window.dateTime(encounter.start()));
        if (encounter.minutes() > 0) {
            json.writeStringField("end", window.dateTimeAfter(encounter.start(), encounter.minutes()));
        }
        json.writeEndObject();
        if (codes.admitSource() != null) {
            json.writeObjectFieldStart("hospitalization");
            json.writeFieldName("admitSource");
            json.writeRawValue(codes.admitSource());
            json.writeEndObject();
        }
        if (encounter.provider() != null) {
            reference("serviceProvider", "Organization/" + encounter.provider());
        }
        endEntry(Type.Encounter, id);
    }

    void medicationStatement(String id, PatientRecord patient, PatientRecord.Medication medication, Window window)
            throws IOException {
        beginEntry(Type.MedicationStatement, id);
        json.writeStringField("status", medication.active() ? "active" : "completed");
        json.writeFieldName("medicationCodeableConcept");
        json.writeRawValue(cached(medication.medicine().coding()));
        reference("subject", "Patient/" + patient.id);
        json.writeObjectFieldStart("effectivePeriod");
        json.writeStringField("start", window.date(medication.startDay()));
        if (medication.endDay() != PatientRecord.NEVER) {
            json.writeStringField("end", window.date(medication.endDay()));
        }
        json.writeEndObject();
        endEntry(Type.MedicationStatement, id);
    }

    // --- pieces -----------------------------------------------------------------------------------------------------

    private void beginEntry(Type type, String id) throws IOException {
        json.writeStartObject();
        json.writeStringField("fullUrl", type.name() + "/" + id);
        json.writeObjectFieldStart("resource");
        json.writeStringField("resourceType", type.name());
        json.writeStringField("id", id);
    }

    private void endEntry(Type type, String id) throws IOException {
        json.writeEndObject();
        json.writeObjectFieldStart("request");
        json.writeStringField("method", "PUT");
        json.writeStringField("url", type.name() + "/" + id);
        json.writeEndObject();
        json.writeEndObject();
        counts[type.ordinal()]++;
    }

    private void profile(String url) throws IOException {
        json.writeObjectFieldStart("meta");
        json.writeArrayFieldStart("profile");
        json.writeString(url);
        json.writeEndArray();
        json.writeEndObject();
    }

    private void reference(String field, String reference) throws IOException {
        json.writeObjectFieldStart(field);
        json.writeStringField("reference", reference);
        json.writeEndObject();
    }

    private static final java.util.concurrent.ConcurrentHashMap<Coding, String> CONCEPTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A CodeableConcept of one coding, as compact JSON, built once for each coding. */
    static String cached(Coding coding) {
        return CONCEPTS.computeIfAbsent(coding, c -> raw(List.of(c)));
    }

    /** A CodeableConcept with these codings, as compact JSON. */
    static String raw(List<Coding> codings) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("coding");
            for (Coding coding : codings) {
                writeCoding(g, coding);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A CodeableConcept with no coding, only text. */
    static String text(String text) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeEndObject();
        });
    }

    /** A Coding, as compact JSON. */
    static String codingRaw(Coding coding) {
        return write(g -> writeCoding(g, coding));
    }

    private static void writeCoding(JsonGenerator g, Coding coding) throws IOException {
        g.writeStartObject();
        g.writeStringField("system", coding.system());
        g.writeStringField("code", coding.code());
        if (coding.display() != null) {
            g.writeStringField("display", coding.display());
        }
        g.writeEndObject();
    }

    private interface JsonBody {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String write(JsonBody body) {
        try {
            StringWriter text = new StringWriter();
            try (JsonGenerator generator = FACTORY.createGenerator(text)) {
                body.write(generator);
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
