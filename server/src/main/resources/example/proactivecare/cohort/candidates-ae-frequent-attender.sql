-- Patients in scope, alive at the end of the window, who could have at least :min_ed_attendances ED attendances in it
-- (see proactivecare.attendance_candidates, migration V4); member-figures.sql counts exactly.
SELECT patient
FROM proactivecare.attendance_candidates(
    'ed-attendance',
    :min_ed_attendances,
    CASE WHEN :all_practices THEN NULL ELSE CAST(:practices AS text[]) END,
    :period_start,
    :period_end,
    :tallied_from,
    :tallied_to)
