package example.proactivecare.population;

import java.util.ArrayList;
import java.util.List;

/** Everything generated for one patient, before it is written: small, and discarded once written. */
final class PatientRecord {

    static final int NEVER = Integer.MAX_VALUE;

    /** The data-quality defects the generator plants, each counted in the summary. */
    enum Defect {
        DUPLICATE_ENCOUNTER("duplicate encounter (same patient and category, start within minutes)"),
        UNMAPPED_TYPE_CODE("encounter with an unmapped local type code (unclassified)"),
        FUTURE_DATED("encounter dated after --end"),
        BEFORE_BIRTH("encounter dated before the patient's birth"),
        AFTER_DEATH("encounter dated after the patient's death"),
        STALE_MEDICATION("active medication with no end, started over a year before --end");

        final String description;

        Defect(String description) {
            this.description = description;
        }
    }

    record Condition(ConditionCatalog.Group group, Coding code, int onsetDay) {}

    /**
     * An encounter: its template, start (local wall-clock minutes since the epoch), length in minutes (0: no end, the
     * encounter is still in progress at --end), who provided it (an Organization id, or null) and the defect it plants.
     */
    record Encounter(int template, long start, int minutes, String provider, Defect defect) {

        int startDay() {
            return (int) Math.floorDiv(start, 1440);
        }
    }

    /** A medication statement: active or completed, with its period (end NEVER: none, as in a stale record). */
    record Medication(MedicineCatalog.Medicine medicine, int startDay, int endDay, boolean active, Defect defect) {}

    final int index;
    final IcsStructure.Practice practice;
    final String id;
    final String nhsNumber;
    final boolean female;
    final String given;
    final String family;
    final int birthDay;
    int deathDay = NEVER;
    final List<Condition> conditions = new ArrayList<>();
    final List<Encounter> encounters = new ArrayList<>();
    final List<Medication> medications = new ArrayList<>();

    PatientRecord(
            int index, IcsStructure.Practice practice, boolean female, String given, String family, int birthDay) {
        this.index = index;
        this.practice = practice;
        this.id = patientId(index);
        this.nhsNumber = NhsNumbers.forIndex(index);
        this.female = female;
        this.given = given;
        this.family = family;
        this.birthDay = birthDay;
    }

    static String patientId(int index) {
        return "pat-" + pad(index, 7);
    }

    /** {@code <prefix>-<patient number>-<n>}, n written with at least {@code width} digits. */
    String childId(String prefix, int n, int width) {
        return prefix + "-" + pad(index, 7) + "-" + pad(n, width);
    }

    boolean deceased() {
        return deathDay != NEVER;
    }

    int ageAt(int day) {
        return (int) ((day - birthDay) / 365.2425);
    }

    private static String pad(int value, int width) {
        String digits = Integer.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
