package example.proactivecare.cohort;

import java.util.Map;

/**
 * One patient's figures over a cohort's window, as member-figures.sql counts them.
 *
 * @param age whole years at the end of the window; null when the birth date is unknown
 * @param gpAttendancesByMode GP attendances per GPAD mode code ({@code unknown} when the encounter does not say)
 */
public record MemberFigures(
        String patient,
        Integer age,
        int gpAttendances,
        Map<String, Integer> gpAttendancesByMode,
        int edAttendances,
        int unplannedAdmissions,
        int contacts999,
        int contacts111,
        int distinctMedications,
        int longTermConditions,
        boolean psychosocial) {

    public MemberFigures {
        gpAttendancesByMode = Map.copyOf(gpAttendancesByMode);
    }
}
