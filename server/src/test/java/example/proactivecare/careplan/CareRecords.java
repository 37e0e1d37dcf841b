package example.proactivecare.careplan;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import example.proactivecare.support.TestRecords;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UnsignedIntType;

/** Hand-built care roles, conditions and cohort Groups for the care plan tests, added to {@link TestRecords}. */
final class CareRecords {

    static final String SCT = TestRecords.SCT;
    static final Coding GP = new Coding(SCT, "62247001", "General practitioner");
    static final Coding PRACTICE_NURSE = new Coding(SCT, "159002008", "Practice nurse");
    static final Coding PHARMACIST = new Coding(SCT, "734293001", "Clinical pharmacist");
    static final Coding CARE_COORDINATOR = new Coding(SCT, "768820003", "Care coordinator");
    static final Coding LINK_WORKER = new Coding(
            CANONICAL_BASE + "/CodeSystem/care-role",
            "social-prescribing-link-worker",
            "Social prescribing link worker");
    static final String SOCIAL_ISOLATION = "422650009";
    static final String TYPE_2_DIABETES = "44054006";
    static final String CLINICAL = "clinical-pharmaceutical";
    static final String PSYCHOSOCIAL = "psychosocial";

    private CareRecords() {}

    /** A care role at an organisation, claiming the care-practitioner-role profile, with a caseload capacity. */
    static PractitionerRole role(String id, String organization, Coding code, int capacity) {
        PractitionerRole role =
                new PractitionerRole().setActive(true).setOrganization(new Reference("Organization/" + organization));
        role.addCode(new CodeableConcept(code.copy()));
        role.addExtension(CANONICAL_BASE + "/StructureDefinition/caseload-capacity", new UnsignedIntType(capacity));
        role.getMeta().addProfile(CANONICAL_BASE + "/StructureDefinition/care-practitioner-role");
        role.setId(id);
        return role;
    }

    /** An active condition of a SNOMED CT code. */
    static Condition condition(String id, String patient, String code) {
        Condition condition = new Condition()
                .setSubject(new Reference("Patient/" + patient))
                .setCode(new CodeableConcept(new Coding(SCT, code, null)))
                .setClinicalStatus(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
        condition.setId(id);
        return condition;
    }

    /** A cohort member: the patient, their risk flags and distinct medications, and an MDT decision (or null). */
    record Member(String patient, List<String> flags, int medications, String decision) {

        /** The member with an MDT decision (confirm or reject), as recorded by the role. */
        Member decided(String decision) {
            return new Member(patient, flags, medications, decision);
        }
    }

    static Member member(String patient, int medications, String... flags) {
        return new Member(patient, List.of(flags), medications, null);
    }

    /**
     * A stored cohort Group as {@code $frequent-attenders} keeps it (profile cohort-group): its identifier, kind and
     * period, and per member the figures and risk flags.
     */
    static Group cohort(String id, String scope, Member... members) {
        return cohort(id, scope, null, members);
    }

    /** A cohort whose members' MDT decisions were recorded by {@code decidedBy} (a PractitionerRole id). */
    static Group cohort(String id, String scope, String decidedBy, Member... members) {
        Group group = new Group()
                .setActive(true)
                .setType(Group.GroupType.PERSON)
                .setActual(true)
                .setName("Targeted proactive support, " + scope)
                .setCode(new CodeableConcept(
                        new Coding(CANONICAL_BASE + "/CodeSystem/cohort-kind", "targeted-proactive-support", null)));
        group.getMeta().addProfile(CANONICAL_BASE + "/StructureDefinition/cohort-group");
        group.addIdentifier()
                .setSystem(CANONICAL_BASE + "/Id/cohort")
                .setValue("targeted-proactive-support|Organization/" + scope + "|" + id);
        group.addExtension(
                CANONICAL_BASE + "/StructureDefinition/cohort-period",
                new Period()
                        .setStartElement(new DateTimeType("2025-01-01"))
                        .setEndElement(new DateTimeType("2025-12-31")));
        for (Member member : members) {
            Group.GroupMemberComponent entry = group.addMember()
                    .setEntity(new Reference("Patient/" + member.patient()))
                    .setInactive(false)
                    .setPeriod(new Period().setStartElement(new DateTimeType("2025-12-31")));
            Extension figures =
                    entry.addExtension().setUrl(CANONICAL_BASE + "/StructureDefinition/cohort-member-figures");
            for (String figure :
                    List.of("gpAttendances", "edAttendances", "unplannedAdmissions", "contacts999", "contacts111")) {
                figures.addExtension(figure, new UnsignedIntType(3));
            }
            figures.addExtension("distinctMedications", new UnsignedIntType(member.medications()));
            figures.addExtension("longTermConditions", new UnsignedIntType(1));
            figures.addExtension("age", new UnsignedIntType(70));
            if (member.decision() != null) {
                Extension review =
                        entry.addExtension().setUrl(CANONICAL_BASE + "/StructureDefinition/cohort-member-review");
                review.addExtension(
                        "decision", new Coding(CANONICAL_BASE + "/CodeSystem/mdt-decision", member.decision(), null));
                review.addExtension("decidedBy", new Reference("PractitionerRole/" + decidedBy));
                review.addExtension("date", new DateTimeType("2026-01-02T10:00:00Z"));
            }
            for (String flag : member.flags()) {
                entry.addExtension(
                        CANONICAL_BASE + "/StructureDefinition/cohort-member-risk-flag",
                        new Coding(CANONICAL_BASE + "/CodeSystem/risk-flag", flag, null));
            }
        }
        group.setQuantity(members.length);
        group.setId(id);
        return group;
    }
}
