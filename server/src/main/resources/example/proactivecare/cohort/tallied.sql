-- The attendances of each possible patient (the temporary table cohort_possible, from possible.sql) in the window's
-- whole months that are over, [:tallied_from, :tallied_to), by category and mode, from the monthly tallies (migration
-- V4), which count only encounters that pass checked_encounters' checks. Read once, patient by patient through the
-- tallies' (patient, month) index, for both candidates.sql and member-figures.sql.
CREATE TEMPORARY TABLE cohort_tallied ON COMMIT DROP AS
SELECT p.patient, t.category, t.mode, t.attendances
FROM cohort_possible p
CROSS JOIN LATERAL (
    SELECT m.category, m.mode, sum(m.attendances) AS attendances
    FROM proactivecare.attendance_month m
    WHERE m.patient = p.patient
      AND m.month >= :tallied_from
      AND m.month < :tallied_to
    GROUP BY m.category, m.mode
) t
