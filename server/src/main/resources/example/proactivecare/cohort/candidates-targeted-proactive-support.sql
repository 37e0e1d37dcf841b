-- Patients in scope, alive at the end of the window, who could have at least :min_unplanned_admissions unplanned admissions in it
-- (see proactivecare.attendance_candidates, migration V4); member-figures.sql counts exactly.
-- The medication rule is applied on the exact figures.
SELECT patient
FROM proactivecare.attendance_candidates(
    'unplanned-admission',
    :min_unplanned_admissions,
    CASE WHEN :all_practices THEN NULL ELSE CAST(:practices AS text[]) END,
    :period_start,
    :period_end,
    :tallied_from,
    :tallied_to)
