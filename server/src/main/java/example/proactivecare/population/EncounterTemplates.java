package example.proactivecare.population;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.projection.ConceptMaps;
import example.proactivecare.projection.EncounterClassifier;
import example.proactivecare.projection.EncounterClassifier.Classification;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.OtherElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;

/**
 * The shapes of every Encounter the generator writes, with their codes picked at run time from the ConceptMaps in
 * {@code mappings/} (never a copy of their code lists), and each shape checked with the server's own {@link
 * EncounterClassifier} to be classified as intended. If a map changes so that a shape no longer classifies as its kind
 * says, generation stops with the shape and what it was classified as.
 */
final class EncounterTemplates {

    static final String GP_ENCOUNTER_PROFILE =
            ConformanceResources.CANONICAL_BASE + "/StructureDefinition/gp-encounter";

    /** A local code system no map knows: what a GP system sends for a consultation type of its own. */
    static final String LOCAL_TYPE_SYSTEM = "https://gp-system.example/CodeSystem/local-consultation-type";

    /**
     * HL7 v3 ActEncounterCode, the value set R4 binds Encounter.class to (extensible), in its own order. The class of an
     * encounter that no map can classify is the first of these the class map does not list.
     */
    private static final List<Coding> ACT_ENCOUNTER_CODES = List.of(
            new Coding(Coding.ACT_CODE, "AMB", "ambulatory"),
            new Coding(Coding.ACT_CODE, "EMER", "emergency"),
            new Coding(Coding.ACT_CODE, "FLD", "field"),
            new Coding(Coding.ACT_CODE, "HH", "home health"),
            new Coding(Coding.ACT_CODE, "IMP", "inpatient encounter"),
            new Coding(Coding.ACT_CODE, "ACUTE", "inpatient acute"),
            new Coding(Coding.ACT_CODE, "NONAC", "inpatient non-acute"),
            new Coding(Coding.ACT_CODE, "OBSENC", "observation encounter"),
            new Coding(Coding.ACT_CODE, "PRENC", "pre-admission"),
            new Coding(Coding.ACT_CODE, "SS", "short stay"),
            new Coding(Coding.ACT_CODE, "VR", "virtual"));

    /** What an encounter is, as the generator decides it; its codes come from the maps. */
    enum Kind {
        GP_FACE_TO_FACE,
        GP_HOME_VISIT,
        GP_TELEPHONE,
        GP_VIDEO,
        GP_WRITTEN,
        GP_UNKNOWN_MODE,
        GP_DID_NOT_ATTEND,
        GP_CANCELLED,
        ED_ATTENDANCE,
        UNPLANNED_ADMISSION,
        UNPLANNED_ADMISSION_FROM_ED,
        CONTACT_111,
        CONTACT_999,
        UNMAPPED_LOCAL_CODE
    }

    /** Categories and modes, as the server's projection names them. */
    static final String GP_ATTENDANCE = "gp-attendance";

    static final String NOT_AN_APPOINTMENT = "not-an-appointment";
    static final String ED = "ed-attendance";
    static final String UNPLANNED_ADMISSION = "unplanned-admission";
    static final String CONTACT_111 = "contact-111";
    static final String CONTACT_999 = "contact-999";
    static final String UNCLASSIFIED = "unclassified";
    static final List<String> MODES = List.of("face-to-face", "home-visit", "telephone", "video", "written", "unknown");

    /**
     * One shape of Encounter: its status and codes, whether it is a GP system's encounter (claims the gp-encounter
     * profile, the practice as serviceProvider), the category and mode the projection gives it, and its weight among
     * the shapes of its kind.
     */
    record Template(
            int id,
            Kind kind,
            String status,
            Coding encounterClass,
            Coding type,
            Coding serviceType,
            Coding priority,
            Coding admitSource,
            boolean gpSystem,
            String category,
            String mode,
            double weight) {

        int modeIndex() {
            return mode == null ? -1 : MODES.indexOf(mode);
        }
    }

    private final List<Template> templates;
    private final Map<Kind, int[]> byKind = new EnumMap<>(Kind.class);
    private final Map<Kind, double[]> weightsByKind = new EnumMap<>(Kind.class);

    private EncounterTemplates(List<Template> templates) {
        this.templates = List.copyOf(templates);
        for (Kind kind : Kind.values()) {
            List<Template> ofKind =
                    templates.stream().filter(t -> t.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                throw new IllegalStateException("No encounter codes for " + kind + " in the ConceptMaps of mappings/");
            }
            byKind.put(kind, ofKind.stream().mapToInt(Template::id).toArray());
            weightsByKind.put(
                    kind, ofKind.stream().mapToDouble(Template::weight).toArray());
        }
    }

    List<Template> all() {
        return templates;
    }

    Template get(int id) {
        return templates.get(id);
    }

    /** A template of the kind, drawn by weight. */
    int pick(Kind kind, java.util.SplittableRandom random) {
        double[] weights = weightsByKind.get(kind);
        return byKind.get(kind)[Randoms.pick(random, weights, Randoms.sum(weights))];
    }

    /** The first (most weighted) template of a kind. */
    int first(Kind kind) {
        return byKind.get(kind)[0];
    }

    /** Reads the ConceptMaps the server packages (conformance/mappings/*.json), builds and checks every template. */
    static EncounterTemplates fromClasspath(FhirContext fhirContext) {
        List<ConceptMap> maps = new ArrayList<>();
        for (ConformanceResources.ClasspathFile file :
                ConformanceResources.read("classpath*:conformance/mappings/*.json")) {
            var resource = fhirContext.newJsonParser().parseResource(file.text());
            if (resource instanceof ConceptMap map) {
                maps.add(map);
            }
        }
        return from(maps);
    }

    static EncounterTemplates from(List<ConceptMap> maps) {
        ConceptMap typeToCategory = ConceptMaps.byId(maps, "encounter-type-to-category");
        ConceptMap serviceTypeToCategory = ConceptMaps.byId(maps, "encounter-service-type-to-category");
        ConceptMap classToCategory = ConceptMaps.byId(maps, "encounter-class-to-category");
        ConceptMap typeToMode = ConceptMaps.byId(maps, "encounter-type-to-gp-appointment-mode");
        ConceptMap classToMode = ConceptMaps.byId(maps, "encounter-class-to-gp-appointment-mode");

        Set<String> gpAttendanceTypes = sources(typeToCategory, target -> GP_ATTENDANCE.equals(target.getCode()));
        Coding faceToFaceClass = first(mapped(classToMode, "face-to-face"), "a class mapped to face-to-face");
        Coding homeVisitClass = first(mapped(classToMode, "home-visit"), "a class mapped to home-visit");
        Set<String> classesWithAMode = sources(classToMode, target -> true);
        Coding virtualClass = first(
                mapped(classToCategory, GP_ATTENDANCE).stream()
                        .filter(c -> !classesWithAMode.contains(key(c)))
                        .toList(),
                "a class mapped to gp-attendance with no mode of its own");
        Coding edClass = first(mapped(classToCategory, ED), "a class mapped to ed-attendance");
        Set<String> classesWithACategory = sources(classToCategory, target -> true);
        Coding unmappedClass = first(
                ACT_ENCOUNTER_CODES.stream()
                        .filter(c -> !classesWithACategory.contains(key(c)))
                        .toList(),
                "an ActEncounterCode that encounter-class-to-category does not list");
        Conditional emergencyAdmission = conditionalTarget(classToCategory, UNPLANNED_ADMISSION);

        Builder builder = new Builder();
        // GP attendances: the mode from the type, the category from the type or else the class
        for (Mapped type : mappedWithEquivalence(typeToMode, "face-to-face")) {
            if (gpAttendanceTypes.contains(key(type.coding()))) {
                builder.add(
                        Kind.GP_FACE_TO_FACE, "finished", faceToFaceClass, type, true, GP_ATTENDANCE, "face-to-face");
            }
        }
        for (Mapped type : mappedWithEquivalence(typeToMode, "home-visit")) {
            builder.add(Kind.GP_HOME_VISIT, "finished", homeVisitClass, type, true, GP_ATTENDANCE, "home-visit");
        }
        for (Mapped type : mappedWithEquivalence(typeToMode, "telephone")) {
            builder.add(Kind.GP_TELEPHONE, "finished", virtualClass, type, true, GP_ATTENDANCE, "telephone");
        }
        for (Mapped type : mappedWithEquivalence(typeToMode, "video")) {
            builder.add(Kind.GP_VIDEO, "finished", virtualClass, type, true, GP_ATTENDANCE, "video");
        }
        for (Mapped type : mappedWithEquivalence(typeToMode, "written")) {
            builder.add(Kind.GP_WRITTEN, "finished", virtualClass, type, true, GP_ATTENDANCE, "written");
        }
        for (Mapped type : mappedWithEquivalence(typeToMode, "unknown")) {
            builder.add(Kind.GP_UNKNOWN_MODE, "finished", virtualClass, type, true, GP_ATTENDANCE, "unknown");
        }
        // did not attend: the types the category map sends to not-an-appointment and that say so
        for (Mapped type : mappedWithEquivalence(typeToCategory, NOT_AN_APPOINTMENT)) {
            if (type.coding().display() != null
                    && type.coding().display().toLowerCase(Locale.ROOT).contains("did not attend")) {
                builder.add(Kind.GP_DID_NOT_ATTEND, "finished", faceToFaceClass, type, true, NOT_AN_APPOINTMENT, null);
            }
        }
        // cancelled: a booked face-to-face or telephone appointment, status cancelled
        builder.addCancelled(Kind.GP_FACE_TO_FACE, 3);
        builder.addCancelled(Kind.GP_TELEPHONE, 1);
        // hospital: ED attendances and emergency admissions, coded by their type and class
        for (Mapped type : mappedWithEquivalence(typeToCategory, ED)) {
            if (type.equivalence() == ConceptMapEquivalence.EQUIVALENT) {
                builder.add(Kind.ED_ATTENDANCE, "finished", edClass, type, false, ED, null);
            }
        }
        for (Mapped type : mappedWithEquivalence(typeToCategory, UNPLANNED_ADMISSION)) {
            if (type.equivalence() == ConceptMapEquivalence.EQUIVALENT) {
                builder.addAdmission(Kind.UNPLANNED_ADMISSION, emergencyAdmission, type, false);
                builder.addAdmission(Kind.UNPLANNED_ADMISSION_FROM_ED, emergencyAdmission, type, true);
            }
        }
        // 999 and 111: by their type, or by their service type alone
        for (String category : List.of(CONTACT_111, CONTACT_999)) {
            Kind kind = category.equals(CONTACT_111) ? Kind.CONTACT_111 : Kind.CONTACT_999;
            Coding contactClass = category.equals(CONTACT_111) ? virtualClass : unmappedClass;
            for (Mapped type : mappedWithEquivalence(typeToCategory, category)) {
                builder.add(kind, "finished", contactClass, type, false, category, null);
            }
            for (Mapped service : mappedWithEquivalence(serviceTypeToCategory, category)) {
                builder.addService(kind, contactClass, service, category);
            }
        }
        // a data-quality defect: a local type code no map knows, on a class the class map does not list
        builder.add(
                Kind.UNMAPPED_LOCAL_CODE,
                "finished",
                unmappedClass,
                new Mapped(
                        new Coding(LOCAL_TYPE_SYSTEM, "LOCAL-CONS", "Consultation (local code)"),
                        ConceptMapEquivalence.EQUIVALENT),
                true,
                UNCLASSIFIED,
                null);

        EncounterTemplates built = new EncounterTemplates(builder.templates);
        built.check(new EncounterClassifier(maps));
        return built;
    }

    /** Every template must be classified by the server's classifier exactly as its kind says. */
    private void check(EncounterClassifier classifier) {
        for (Template template : templates) {
            Classification classification = classifier.classify(toEncounter(template));
            Classification intended = new Classification(template.category(), template.mode());
            if (!classification.equals(intended)) {
                throw new IllegalStateException("Encounter shape " + template.kind() + " (" + describe(template)
                        + ") is classified as " + classification + " by the ConceptMaps in mappings/, not as "
                        + intended);
            }
        }
    }

    static Encounter toEncounter(Template template) {
        Encounter encounter = new Encounter();
        encounter.setStatus(EncounterStatus.fromCode(template.status()));
        encounter.setClass_(hapi(template.encounterClass()));
        if (template.type() != null) {
            encounter.addType(new CodeableConcept(hapi(template.type())));
        }
        if (template.serviceType() != null) {
            encounter.setServiceType(new CodeableConcept(hapi(template.serviceType())));
        }
        if (template.priority() != null) {
            encounter.setPriority(new CodeableConcept(hapi(template.priority())));
        }
        if (template.admitSource() != null) {
            encounter.getHospitalization().setAdmitSource(new CodeableConcept(hapi(template.admitSource())));
        }
        return encounter;
    }

    private static org.hl7.fhir.r4.model.Coding hapi(Coding coding) {
        return new org.hl7.fhir.r4.model.Coding(coding.system(), coding.code(), coding.display());
    }

    private static String describe(Template template) {
        return "class " + template.encounterClass().code()
                + (template.type() == null
                        ? ""
                        : ", type " + template.type().system() + "|"
                                + template.type().code())
                + (template.serviceType() == null
                        ? ""
                        : ", serviceType " + template.serviceType().system() + "|"
                                + template.serviceType().code())
                + ", status " + template.status();
    }

    // --- reading the maps -----------------------------------------------------------------------------------------

    private record Mapped(Coding coding, ConceptMapEquivalence equivalence) {}

    private record Conditional(Coding encounterClass, Coding priority, Coding admitSource) {}

    private static String key(Coding coding) {
        return coding.system() + "|" + coding.code();
    }

    /** The source codes of the map with a target that passes the test. */
    private static Set<String> sources(ConceptMap map, Predicate<TargetElementComponent> test) {
        Set<String> keys = new LinkedHashSet<>();
        for (ConceptMapGroupComponent group : map.getGroup()) {
            for (SourceElementComponent element : group.getElement()) {
                if (element.getTarget().stream().anyMatch(t -> ConceptMaps.isMapping(t) && test.test(t))) {
                    keys.add(group.getSource() + "|" + element.getCode());
                }
            }
        }
        return keys;
    }

    /** The source codings the map sends to the target without conditions, in the map's order. */
    private static List<Coding> mapped(ConceptMap map, String target) {
        return mappedWithEquivalence(map, target).stream().map(Mapped::coding).toList();
    }

    private static List<Mapped> mappedWithEquivalence(ConceptMap map, String target) {
        List<Mapped> result = new ArrayList<>();
        for (ConceptMapGroupComponent group : map.getGroup()) {
            for (SourceElementComponent element : group.getElement()) {
                for (TargetElementComponent t : element.getTarget()) {
                    if (ConceptMaps.isMapping(t) && !t.hasDependsOn() && target.equals(t.getCode())) {
                        result.add(new Mapped(
                                new Coding(group.getSource(), element.getCode(), element.getDisplay()),
                                t.getEquivalence()));
                        break;
                    }
                }
            }
        }
        return result;
    }

    /**
     * The first class the map sends to the target on a condition of Encounter.priority, with that priority, and the
     * admit source of another condition for the same class and target.
     */
    private static Conditional conditionalTarget(ConceptMap map, String target) {
        for (ConceptMapGroupComponent group : map.getGroup()) {
            for (SourceElementComponent element : group.getElement()) {
                Coding priority = null;
                Coding admitSource = null;
                for (TargetElementComponent t : element.getTarget()) {
                    if (!ConceptMaps.isMapping(t)
                            || !target.equals(t.getCode())
                            || t.getDependsOn().size() != 1) {
                        continue;
                    }
                    OtherElementComponent condition = t.getDependsOn().get(0);
                    Coding value = new Coding(condition.getSystem(), condition.getValue(), condition.getDisplay());
                    if ("Encounter.priority".equals(condition.getProperty()) && priority == null) {
                        priority = value;
                    } else if ("Encounter.hospitalization.admitSource".equals(condition.getProperty())
                            && admitSource == null) {
                        admitSource = value;
                    }
                }
                if (priority != null && admitSource != null) {
                    return new Conditional(
                            new Coding(group.getSource(), element.getCode(), element.getDisplay()),
                            priority,
                            admitSource);
                }
            }
        }
        throw new IllegalStateException("No class in " + map.getUrl() + " is mapped to " + target
                + " on an Encounter.priority and an Encounter.hospitalization.admitSource condition");
    }

    private static Coding first(List<Coding> codings, String what) {
        if (codings.isEmpty()) {
            throw new IllegalStateException("The ConceptMaps of mappings/ have no " + what);
        }
        return codings.get(0);
    }

    /** Collects templates, numbering them in order; weights favour the codes a map calls equivalent. */
    private static final class Builder {
        private final List<Template> templates = new ArrayList<>();

        void add(
                Kind kind,
                String status,
                Coding encounterClass,
                Mapped type,
                boolean gpSystem,
                String category,
                String mode) {
            templates.add(new Template(
                    templates.size(),
                    kind,
                    status,
                    encounterClass,
                    type.coding(),
                    null,
                    null,
                    null,
                    gpSystem,
                    category,
                    GP_ATTENDANCE.equals(category) ? mode : null,
                    weight(type.equivalence())));
        }

        void addService(Kind kind, Coding encounterClass, Mapped service, String category) {
            templates.add(new Template(
                    templates.size(),
                    kind,
                    "finished",
                    encounterClass,
                    null,
                    service.coding(),
                    null,
                    null,
                    false,
                    category,
                    null,
                    weight(service.equivalence())));
        }

        void addAdmission(Kind kind, Conditional admission, Mapped type, boolean fromEd) {
            templates.add(new Template(
                    templates.size(),
                    kind,
                    "finished",
                    admission.encounterClass(),
                    type.coding(),
                    null,
                    admission.priority(),
                    fromEd ? admission.admitSource() : null,
                    false,
                    UNPLANNED_ADMISSION,
                    null,
                    weight(type.equivalence())));
        }

        /** A cancelled copy of the first template of a booked kind. */
        void addCancelled(Kind booked, double weight) {
            Template source = templates.stream()
                    .filter(t -> t.kind() == booked)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No " + booked + " codes to cancel"));
            templates.add(new Template(
                    templates.size(),
                    Kind.GP_CANCELLED,
                    "cancelled",
                    source.encounterClass(),
                    source.type(),
                    null,
                    null,
                    null,
                    true,
                    NOT_AN_APPOINTMENT,
                    null,
                    weight));
        }

        private static double weight(ConceptMapEquivalence equivalence) {
            return equivalence == ConceptMapEquivalence.EQUIVALENT ? 4 : 1;
        }
    }
}
