package example.proactivecare.population;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The care roles of each practice (GPs, about one per 1,800 patients, and two practice nurses) and PCN (a clinical
 * pharmacist, a care coordinator, a social prescribing link worker and a health and wellbeing coach, the ARRS roles of
 * seeds 001 and 004), with their codes taken from the care-roles value set by display, and caseload capacities (the
 * most active care plans each can lead; estimates of tens of patients).
 */
final class CareRoles {

    enum Role {
        GP("General practitioner", "gp", "Dr", 25, 35),
        PRACTICE_NURSE("Practice nurse", "pn", null, 20, 30),
        CLINICAL_PHARMACIST("Clinical pharmacist", "cp", null, 40, 60),
        CARE_COORDINATOR("Care coordinator", "cc", null, 40, 60),
        SOCIAL_PRESCRIBING_LINK_WORKER("Social prescribing link worker", "sp", null, 30, 50),
        HEALTH_COACH("Health coach", "hc", null, 25, 40);

        static final List<Role> PCN_ROLES =
                List.of(CLINICAL_PHARMACIST, CARE_COORDINATOR, SOCIAL_PRESCRIBING_LINK_WORKER, HEALTH_COACH);

        final String display;
        final String idPart;
        final String prefix;
        final int minCapacity;
        final int maxCapacity;

        Role(String display, String idPart, String prefix, int minCapacity, int maxCapacity) {
            this.display = display;
            this.idPart = idPart;
            this.prefix = prefix;
            this.minCapacity = minCapacity;
            this.maxCapacity = maxCapacity;
        }
    }

    private final Map<Role, String> codes = new EnumMap<>(Role.class);

    private CareRoles() {}

    static CareRoles from(Terminology terminology) {
        CareRoles roles = new CareRoles();
        for (Role role : Role.values()) {
            roles.codes.put(role, FhirWriter.raw(List.of(terminology.byDisplay("care-roles", role.display))));
        }
        return roles;
    }

    /** A Practitioner and their PractitionerRole at the organisation, e.g. pr-ZZ0001-gp01 and prr-ZZ0001-gp01. */
    void write(FhirWriter writer, SplittableRandom random, Role role, String ods, String organizationId, int number)
            throws IOException {
        String suffix = ods + "-" + role.idPart + (number < 10 ? "0" : "") + number;
        boolean female = random.nextDouble() < 0.55;
        writer.practitioner(
                "pr-" + suffix,
                role.prefix,
                Names.any(random, female ? Names.FEMALE : Names.MALE),
                Names.any(random, Names.FAMILY),
                female);
        writer.practitionerRole(
                "prr-" + suffix,
                "pr-" + suffix,
                organizationId,
                codes.get(role),
                Randoms.between(random, role.minCapacity, role.maxCapacity));
    }
}
