package example.proactivecare.security;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import example.proactivecare.support.TestAuthorization;
import example.proactivecare.support.TestRecords;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;

/**
 * The records the security tests reach for, stored once (by a {@code system/} token) in the shared server:
 *
 * <pre>
 * ICB mx-icb
 * ├── PCN mx-pcn-north ── practices mx-north-1 (patient mx-own), mx-north-2 (patient mx-north-2-patient)
 * └── PCN mx-pcn-south ── practice mx-south-1 (patient mx-other)
 * </pre>
 *
 * The GP ({@link TestAuthorization#GP_NORTH}) has a role at mx-north-1, the care coordinator ({@link
 * TestAuthorization#COORDINATOR}) at mx-pcn-north. Each patient has GP attendances in 2021, so each practice has a
 * stored cohort Group of the GP frequent attenders over a threshold of one attendance, managed by the practice.
 */
final class SecurityFixture {

    static final String ICB = "mx-icb";
    static final String PCN_NORTH = "mx-pcn-north";
    static final String PCN_SOUTH = "mx-pcn-south";
    static final String NORTH_1 = "mx-north-1";
    static final String NORTH_2 = "mx-north-2";
    static final String SOUTH_1 = "mx-south-1";
    static final String OWN = "mx-own";
    static final String NORTH_2_PATIENT = "mx-north-2-patient";
    static final String OTHER = "mx-other";
    static final String OWN_BIRTH_DATE = "1941-02-03";
    static final String OTHER_BIRTH_DATE = "1952-06-07";
    static final String GP_ROLE = "sec-gp-north-at-mx-north-1";

    /** The stored cohort Groups of the own and the other practice (their ids). */
    static String ownGroup;

    static String otherGroup;

    private SecurityFixture() {}

    static synchronized void store(IGenericClient client) {
        if (ownGroup != null) {
            return;
        }
        TestRecords records = new TestRecords()
                .organization(ICB, null, "MXI")
                .organization(PCN_NORTH, ICB, "MXPN")
                .organization(PCN_SOUTH, ICB, "MXPS")
                .organization(NORTH_1, PCN_NORTH, "MXN01")
                .organization(NORTH_2, PCN_NORTH, "MXN02")
                .organization(SOUTH_1, PCN_SOUTH, "MXS01")
                .patient(OWN, NORTH_1, OWN_BIRTH_DATE)
                .patient(NORTH_2_PATIENT, NORTH_2, "1960-01-01")
                .patient(OTHER, SOUTH_1, OTHER_BIRTH_DATE)
                .gpAttendances(OWN, 3, "2021-03-01T10:00")
                .gpAttendances(NORTH_2_PATIENT, 3, "2021-03-02T10:00")
                .gpAttendances(OTHER, 3, "2021-03-03T10:00");
        records.add(practitioner("sec-gp-north", "North"));
        records.add(practitioner("sec-coordinator", "Coordinator"));
        records.add(practitioner("sec-no-role", "Roleless"));
        records.add(role(GP_ROLE, "sec-gp-north", NORTH_1));
        records.add(role("sec-coordinator-at-mx-pcn-north", "sec-coordinator", PCN_NORTH));
        records.store(client);
        for (String patient : new String[] {OWN, NORTH_2_PATIENT, OTHER}) {
            Patient read = client.read().resource(Patient.class).withId(patient).execute();
            read.addName(new HumanName().setFamily("Test-" + patient).addGiven("Sam"));
            client.update().resource(read).execute();
        }
        ownGroup = cohort(client, NORTH_1);
        otherGroup = cohort(client, SOUTH_1);
    }

    /** Derives and stores the practice's cohort: GP attendances of one or more in 2021. */
    private static String cohort(IGenericClient client, String practice) {
        Parameters result = client.operation()
                .onType(Group.class)
                .named("$frequent-attenders")
                .withParameter(Parameters.class, "cohort", new org.hl7.fhir.r4.model.CodeType("gp-frequent-attender"))
                .andParameter("scope", new Reference("Organization/" + practice))
                .andParameter("periodEnd", new DateType("2021-12-31"))
                .andParameter("minGpAttendances", new org.hl7.fhir.r4.model.IntegerType(1))
                .execute();
        Group group = (Group) result.getParameter("return").getResource();
        return group.getIdElement().getIdPart();
    }

    private static Practitioner practitioner(String id, String family) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(id);
        practitioner.addName().setFamily(family).addGiven("Test");
        return practitioner;
    }

    private static PractitionerRole role(String id, String practitioner, String organisation) {
        PractitionerRole role = new PractitionerRole().setActive(true);
        role.setId(id);
        role.setPractitioner(new Reference("Practitioner/" + practitioner));
        role.setOrganization(new Reference("Organization/" + organisation));
        return role;
    }
}
