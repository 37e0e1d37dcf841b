package example.proactivecare.cohort;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Group.GroupMemberComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UnsignedIntType;

/**
 * Rolls a cohort Group forward: given the Group as stored (or none) and the members that qualify now, it answers the
 * Group as it should be stored next, and who entered, left and stayed.
 *
 * <ul>
 *   <li>A patient who qualifies for the first time is added, with {@code period.start} the last day of the window.
 *   <li>A member who still qualifies stays; the figures and risk flags are renewed, the period and MDT review kept.
 *   <li>A member who no longer qualifies stays listed, {@code inactive} with {@code period.end}.
 *   <li>A former member who qualifies again re-enters: active, a new {@code period.start}, the entries count one
 *       higher, and the MDT review they had kept (a rejection is not lost by a refresh).
 * </ul>
 */
final class CohortGroups {

    static final String PROFILE = CANONICAL_BASE + "/StructureDefinition/cohort-group";
    static final String IDENTIFIER_SYSTEM = CANONICAL_BASE + "/Id/cohort";
    static final String COHORT_KIND = CANONICAL_BASE + "/CodeSystem/cohort-kind";
    static final String SCOPE = CANONICAL_BASE + "/StructureDefinition/cohort-scope";
    static final String PERIOD = CANONICAL_BASE + "/StructureDefinition/cohort-period";
    static final String FIGURES = CANONICAL_BASE + "/StructureDefinition/cohort-member-figures";
    static final String RISK_FLAG = CANONICAL_BASE + "/StructureDefinition/cohort-member-risk-flag";
    static final String REVIEW = CANONICAL_BASE + "/StructureDefinition/cohort-member-review";
    static final String ENTRIES = CANONICAL_BASE + "/StructureDefinition/cohort-member-entries";
    static final String RISK_FLAG_SYSTEM = CANONICAL_BASE + "/CodeSystem/risk-flag";
    static final String MODE_SYSTEM = CANONICAL_BASE + "/CodeSystem/gp-appointment-mode";

    /** The Group to store, and how membership moved. */
    record Refresh(Group group, int entered, int left, int stayed) {}

    private CohortGroups() {}

    /** The identifier value of a cohort: its kind and scope, such as {@code gp-frequent-attender|Organization/x}. */
    static String identifierValue(String kind, String scope) {
        return kind + "|" + (scope == null ? "all" : "Organization/" + scope);
    }

    /**
     * @param existing the Group as stored, or null for a cohort derived for the first time
     * @param name the Group's name
     * @param qualifying the members who qualify now, with their figures
     */
    static Refresh refresh(Group existing, CohortRequest request, String name, List<MemberFigures> qualifying) {
        Group group = existing == null ? new Group() : existing.copy();
        describe(group, request, name);
        String runDate = request.periodEnd().toString();
        SharedElements shared = new SharedElements(runDate);

        Map<String, GroupMemberComponent> before = group.getMember().stream()
                .collect(Collectors.toMap(
                        m -> m.getEntity().getReferenceElement().getIdPart(),
                        Function.identity(),
                        (a, b) -> a,
                        LinkedHashMap::new));
        Map<String, MemberFigures> now =
                qualifying.stream().collect(Collectors.toMap(MemberFigures::patient, Function.identity()));
        int entered = 0;
        int left = 0;
        int stayed = 0;
        Map<String, GroupMemberComponent> after = new TreeMap<>();
        for (var entry : before.entrySet()) {
            GroupMemberComponent member = entry.getValue();
            MemberFigures figures = now.get(entry.getKey());
            if (figures == null) {
                if (!member.getInactive()) {
                    member.setInactive(true);
                    member.getPeriod().setEndElement(new DateTimeType(runDate));
                    left++;
                }
            } else if (member.getInactive()) {
                member.setInactive(false);
                member.setPeriod(new Period().setStartElement(new DateTimeType(runDate)));
                setEntries(member, entries(member) + 1);
                setFigures(member, figures, request.thresholds(), shared);
                entered++;
            } else {
                setFigures(member, figures, request.thresholds(), shared);
                stayed++;
            }
            after.put(entry.getKey(), member);
        }
        for (MemberFigures figures : qualifying) {
            if (!before.containsKey(figures.patient())) {
                GroupMemberComponent member = new GroupMemberComponent()
                        .setEntity(new Reference("Patient/" + figures.patient()))
                        .setPeriod(shared.enteredNow)
                        .setInactiveElement(shared.active);
                member.addExtension(shared.firstEntry);
                setFigures(member, figures, request.thresholds(), shared);
                after.put(figures.patient(), member);
                entered++;
            }
        }
        group.setMember(List.copyOf(after.values()));
        group.setQuantity(entered + stayed);
        return new Refresh(group, entered, left, stayed);
    }

    private static void describe(Group group, CohortRequest request, String name) {
        group.getMeta().getProfile().removeIf(p -> PROFILE.equals(p.getValue()));
        group.getMeta().addProfile(PROFILE);
        group.getIdentifier().removeIf(i -> IDENTIFIER_SYSTEM.equals(i.getSystem()));
        group.addIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(identifierValue(request.kind(), request.scope()));
        group.setActive(true);
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.setCode(new CodeableConcept(new Coding(COHORT_KIND, request.kind(), null)));
        group.setName(name);
        group.getExtension().removeIf(e -> SCOPE.equals(e.getUrl()) || PERIOD.equals(e.getUrl()));
        if (request.scope() != null) {
            group.addExtension(SCOPE, new Reference("Organization/" + request.scope()));
            group.setManagingEntity(new Reference("Organization/" + request.scope()));
        }
        group.addExtension(
                PERIOD,
                new Period()
                        .setStartElement(new DateTimeType(request.periodStart().toString()))
                        .setEndElement(new DateTimeType(request.periodEnd().toString())));
    }

    static int entries(GroupMemberComponent member) {
        Extension entries = member.getExtensionByUrl(ENTRIES);
        return entries == null ? 1 : ((PositiveIntType) entries.getValue()).getValue();
    }

    private static void setEntries(GroupMemberComponent member, int entries) {
        member.getExtension().removeIf(e -> ENTRIES.equals(e.getUrl()));
        member.addExtension(ENTRIES, new PositiveIntType(entries));
    }

    /** Replaces the member's figures and risk flags, keeping its review and entries. */
    private static void setFigures(
            GroupMemberComponent member, MemberFigures f, CohortRequest.Thresholds t, SharedElements shared) {
        List<Extension> kept = member.getExtension().stream()
                .filter(e -> !FIGURES.equals(e.getUrl()) && !RISK_FLAG.equals(e.getUrl()))
                .toList();
        member.getExtension().clear();
        Extension figures = member.addExtension().setUrl(FIGURES);
        List<Extension> parts = figures.getExtension();
        parts.add(shared.count("gpAttendances", f.gpAttendances()));
        new TreeMap<>(f.gpAttendancesByMode()).forEach((mode, count) -> parts.add(shared.byMode(mode, count)));
        parts.add(shared.count("edAttendances", f.edAttendances()));
        parts.add(shared.count("unplannedAdmissions", f.unplannedAdmissions()));
        parts.add(shared.count("contacts999", f.contacts999()));
        parts.add(shared.count("contacts111", f.contacts111()));
        parts.add(shared.count("distinctMedications", f.distinctMedications()));
        parts.add(shared.count("longTermConditions", f.longTermConditions()));
        if (f.age() != null) {
            parts.add(shared.count("age", f.age()));
        }
        for (String flag : RiskFlags.of(f, t)) {
            member.addExtension(shared.flag(flag));
        }
        member.getExtension().addAll(kept);
    }

    /**
     * The elements that many members of one refresh hold alike (a count, a mode's count, a risk flag, the period of
     * a member entering now), made once and shared between them. An ICS-wide cohort has tens of thousands of members
     * but few distinct values, and an element tree of its own for each member was millions of objects for the
     * garbage collector to copy while the answer was written. Nothing changes these elements in place: a refresh only
     * sets them, on members it has just made or copied, and a stored Group is read back as new objects.
     */
    private static final class SharedElements {

        final Period enteredNow;
        final BooleanType active = new BooleanType(false);
        final Extension firstEntry = new Extension(ENTRIES, new PositiveIntType(1));
        private final Map<String, Extension> elements = new HashMap<>();
        private final Map<String, Map<Integer, Extension>> counts = new HashMap<>();

        SharedElements(String runDate) {
            enteredNow = new Period().setStartElement(new DateTimeType(runDate));
        }

        Extension count(String name, int value) {
            return counts.computeIfAbsent(name, k -> new HashMap<>())
                    .computeIfAbsent(value, k -> new Extension(name, new UnsignedIntType(value)));
        }

        Extension byMode(String mode, int count) {
            return elements.computeIfAbsent("gpAttendancesByMode:" + mode + "=" + count, k -> {
                Extension byMode = new Extension("gpAttendancesByMode");
                byMode.addExtension("mode", new Coding(MODE_SYSTEM, mode, null));
                byMode.addExtension("count", new UnsignedIntType(count));
                return byMode;
            });
        }

        Extension flag(String flag) {
            return elements.computeIfAbsent(
                    "flag:" + flag, k -> new Extension(RISK_FLAG, new Coding(RISK_FLAG_SYSTEM, flag, null)));
        }
    }
}
