package example.proactivecare.cohort;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import example.proactivecare.async.JsonAnswerWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Group.GroupMemberComponent;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

/**
 * Writes the answer of {@code $frequent-attenders} (a Parameters with the cohort Group and the entered, left and
 * stayed counts) as compact JSON, streamed to the client.
 *
 * <p>HAPI's parser walks a resource's whole element tree more than once before and while it writes it. An ICS-wide GP
 * cohort has about 42,000 members and 1.5 million elements (77 MB of JSON): HAPI took 3 to 6 s to encode it, and with
 * the text held in buffers it pushed a 2 GB server heap to its limit. Here HAPI still encodes the Group without its
 * members, so everything at the Group's level (meta, extensions, identifiers and the rest) is HAPI's own encoding; the
 * members, which hold only the few element types {@link CohortGroups} and {@link CohortService} put there, are written
 * by this class, as the Group's last element ({@code member} is the last element of an R4 Group). An answer holding
 * anything else is left to HAPI's parser whole ({@link #canWrite} is false), and a test checks that both encodings
 * parse back to the same resources.
 */
final class CohortAnswerJson implements JsonAnswerWriter {

    private static final JsonFactory JSON = new JsonFactory();

    private final FhirContext fhir;

    CohortAnswerJson(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Override
    public boolean canWrite(IBaseResource answer) {
        if (!(answer instanceof Parameters parameters) || !plain(parameters) || parameters.hasMeta()) {
            return false;
        }
        for (ParametersParameterComponent parameter : parameters.getParameter()) {
            if (!plain(parameter) || parameter.hasPart() || !parameter.hasName()) {
                return false;
            }
            if (parameter.hasResource()) {
                if (!(parameter.getResource() instanceof Group group) || parameter.hasValue()) {
                    return false;
                }
                // an extension that members share is checked once
                Set<Extension> checked = Collections.newSetFromMap(new IdentityHashMap<>());
                for (GroupMemberComponent member : group.getMember()) {
                    if (!member(member, checked)) {
                        return false;
                    }
                }
            } else if (!(parameter.getValue() != null
                            && "integer".equals(parameter.getValue().fhirType()))
                    || !plain(parameter.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void write(IBaseResource answer, Writer out) throws IOException {
        Parameters parameters = (Parameters) answer;
        IParser parser = fhir.newJsonParser().setPrettyPrint(false);
        out.write("{\"resourceType\":\"Parameters\"");
        if (parameters.hasIdElement() && parameters.getIdElement().hasIdPart()) {
            out.write(",\"id\":");
            out.write(quoted(parameters.getIdElement().getIdPart()));
        }
        out.write(",\"parameter\":[");
        boolean first = true;
        for (ParametersParameterComponent parameter : parameters.getParameter()) {
            out.write(first ? "{\"name\":" : ",{\"name\":");
            first = false;
            out.write(quoted(parameter.getName()));
            if (parameter.hasResource()) {
                out.write(",\"resource\":");
                writeGroup((Group) parameter.getResource(), parser, out);
            } else {
                out.write(",\"valueInteger\":");
                out.write(String.valueOf(((IntegerType) parameter.getValue()).getValue()));
            }
            out.write('}');
        }
        out.write("]}");
        out.flush();
    }

    /** HAPI's encoding of the Group without its members, with the members written here as its last element. */
    private static void writeGroup(Group group, IParser parser, Writer out) throws IOException {
        SharedTexts shared = new SharedTexts();
        List<GroupMemberComponent> members = group.getMember();
        String withoutMembers;
        group.setMember(new ArrayList<>());
        try {
            withoutMembers = parser.encodeResourceToString(group);
        } finally {
            group.setMember(members);
        }
        if (members.isEmpty()) {
            out.write(withoutMembers);
            return;
        }
        out.write(withoutMembers, 0, withoutMembers.lastIndexOf('}'));
        out.write(",\"member\":");
        JsonGenerator json = JSON.createGenerator(out);
        json.writeStartArray();
        for (GroupMemberComponent member : members) {
            json.writeStartObject();
            writeExtensions(extensions(member), json, shared);
            json.writeFieldName("entity");
            writeReference(member.getEntity(), json);
            if (member.hasPeriod()) {
                json.writeObjectFieldStart("period");
                if (member.getPeriod().hasStart()) {
                    json.writeStringField(
                            "start", member.getPeriod().getStartElement().getValueAsString());
                }
                if (member.getPeriod().hasEnd()) {
                    json.writeStringField(
                            "end", member.getPeriod().getEndElement().getValueAsString());
                }
                json.writeEndObject();
            }
            if (member.hasInactiveElement() && member.getInactiveElement().getValue() != null) {
                json.writeBooleanField("inactive", member.getInactive());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.flush();
        out.write('}');
    }

    private static void writeExtensions(List<Extension> extensions, JsonGenerator json, SharedTexts shared)
            throws IOException {
        if (extensions.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart("extension");
        for (Extension extension : extensions) {
            String text = shared.text(extension);
            if (text != null) {
                json.writeRawValue(text);
            } else {
                writeExtension(extension, json, shared);
            }
        }
        json.writeEndArray();
    }

    private static void writeExtension(Extension extension, JsonGenerator json, SharedTexts shared) throws IOException {
        json.writeStartObject();
        json.writeStringField("url", extension.getUrl());
        writeExtensions(extensions(extension), json, shared);
        if (extension.hasValue()) {
            writeValue(extension.getValue(), json);
        }
        json.writeEndObject();
    }

    /**
     * The JSON of the extensions that members share ({@link CohortGroups} makes each distinct count, mode count and
     * risk flag once per refresh): an extension met a second time is encoded once more, to text that is then copied
     * wherever it is met again. Most of an ICS-wide cohort's 77 MB is such copies, which Jackson would otherwise
     * check and escape character by character each time.
     */
    private static final class SharedTexts {

        private final Set<Extension> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<Extension, String> texts = new IdentityHashMap<>();

        /** The extension's text when it has been met before; null the first time. */
        String text(Extension extension) throws IOException {
            String text = texts.get(extension);
            if (text == null && !seen.add(extension)) {
                StringWriter encoded = new StringWriter();
                try (JsonGenerator json = JSON.createGenerator(encoded)) {
                    writeExtension(extension, json, this);
                }
                text = encoded.toString();
                texts.put(extension, text);
            }
            return text;
        }
    }

    private static void writeValue(Type value, JsonGenerator json) throws IOException {
        switch (value.fhirType()) {
            case "unsignedInt" -> json.writeNumberField("valueUnsignedInt", ((IntegerType) value).getValue());
            case "positiveInt" -> json.writeNumberField("valuePositiveInt", ((IntegerType) value).getValue());
            case "integer" -> json.writeNumberField("valueInteger", ((IntegerType) value).getValue());
            case "boolean" -> json.writeBooleanField("valueBoolean", ((BooleanType) value).getValue());
            case "string" -> json.writeStringField("valueString", ((PrimitiveType<?>) value).getValueAsString());
            case "dateTime" -> json.writeStringField("valueDateTime", ((PrimitiveType<?>) value).getValueAsString());
            case "Coding" -> {
                json.writeFieldName("valueCoding");
                writeCoding((Coding) value, json);
            }
            case "CodeableConcept" -> {
                CodeableConcept concept = (CodeableConcept) value;
                json.writeObjectFieldStart("valueCodeableConcept");
                if (concept.hasCoding()) {
                    json.writeArrayFieldStart("coding");
                    for (Coding coding : concept.getCoding()) {
                        writeCoding(coding, json);
                    }
                    json.writeEndArray();
                }
                if (concept.hasText()) {
                    json.writeStringField("text", concept.getText());
                }
                json.writeEndObject();
            }
            case "Reference" -> {
                json.writeFieldName("valueReference");
                writeReference((Reference) value, json);
            }
            default -> throw new IllegalStateException("canWrite let through a value of type " + value.fhirType());
        }
    }

    private static void writeCoding(Coding coding, JsonGenerator json) throws IOException {
        json.writeStartObject();
        if (coding.hasSystem()) {
            json.writeStringField("system", coding.getSystem());
        }
        if (coding.hasCode()) {
            json.writeStringField("code", coding.getCode());
        }
        if (coding.hasDisplay()) {
            json.writeStringField("display", coding.getDisplay());
        }
        json.writeEndObject();
    }

    private static void writeReference(Reference reference, JsonGenerator json) throws IOException {
        json.writeStartObject();
        if (reference.hasReference()) {
            json.writeStringField("reference", reference.getReference());
        }
        if (reference.hasDisplay()) {
            json.writeStringField("display", reference.getDisplay());
        }
        json.writeEndObject();
    }

    // What canWrite lets through: elements with no id and no extensions of their own (except members and
    // extensions, whose extensions are written), holding only the children written above.

    private static boolean member(GroupMemberComponent member, Set<Extension> checked) {
        if (member.hasId() || member.hasModifierExtension() || !member.hasEntity() || !reference(member.getEntity())) {
            return false;
        }
        for (Extension extension : extensions(member)) {
            if (!extension(extension, checked)) {
                return false;
            }
        }
        Period period = member.getPeriod();
        return (!member.hasPeriod()
                        || (plain(period) && plain(period.getStartElement()) && plain(period.getEndElement())))
                && plain(member.getInactiveElement());
    }

    private static boolean extension(Extension extension, Set<Extension> checked) {
        if (checked.contains(extension)) {
            return true;
        }
        if (extension.hasId() || !extension.hasUrl() || (extension.hasValue() && extension.hasExtension())) {
            return false;
        }
        for (Extension nested : extensions(extension)) {
            if (!extension(nested, checked)) {
                return false;
            }
        }
        if (extension.hasValue() && !value(extension.getValue())) {
            return false;
        }
        checked.add(extension);
        return true;
    }

    private static boolean value(Type value) {
        if (!plain(value)) {
            return false;
        }
        return switch (value.fhirType()) {
            case "unsignedInt", "positiveInt", "integer", "boolean" -> ((PrimitiveType<?>) value).getValue() != null;
            case "string", "dateTime" -> ((PrimitiveType<?>) value).hasValue();
            case "Coding" -> coding((Coding) value);
            case "CodeableConcept" -> {
                CodeableConcept concept = (CodeableConcept) value;
                yield concept.getCoding().stream().allMatch(CohortAnswerJson::coding)
                        && plain(concept.getTextElement());
            }
            case "Reference" -> reference((Reference) value);
            default -> false;
        };
    }

    private static boolean coding(Coding coding) {
        return plain(coding)
                && !coding.hasVersion()
                && !coding.hasUserSelected()
                && plain(coding.getSystemElement())
                && plain(coding.getCodeElement())
                && plain(coding.getDisplayElement());
    }

    private static boolean reference(Reference reference) {
        return plain(reference)
                && !reference.hasType()
                && !reference.hasIdentifier()
                && plain(reference.getReferenceElement_())
                && plain(reference.getDisplayElement());
    }

    /**
     * An element's extensions. HAPI's {@code getExtension()} gives an element that has none a new list of its own,
     * which it keeps: called on each of the million or so leaves of an ICS-wide cohort, it would add as many lists to
     * what the garbage collector copies while the answer is written.
     */
    private static List<Extension> extensions(Element element) {
        return element.hasExtension() ? element.getExtension() : List.of();
    }

    /** No id and no extensions: nothing this writer would leave out. */
    private static boolean plain(Element element) {
        return element == null || (!element.hasId() && !element.hasExtension());
    }

    private static boolean plain(ParametersParameterComponent parameter) {
        return !parameter.hasId() && !parameter.hasExtension() && !parameter.hasModifierExtension();
    }

    private static boolean plain(Parameters parameters) {
        return !parameters.hasImplicitRules() && !parameters.hasLanguage();
    }

    private static String quoted(String text) throws IOException {
        StringWriter quoted = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(quoted)) {
            json.writeString(text);
        }
        return quoted.toString();
    }
}
