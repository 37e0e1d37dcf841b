-- The possible patients (cohort_possible, from possible.sql) who could have at least :min_attendances attendances of
-- :category in the window (the kind's candidates-<kind>.sql names both), kept in a temporary table for
-- member-figures.sql, which counts exactly. It never leaves out a patient who has that many, and lets in few who have
-- not.
-- A window of whole months that are over has no other days: possible.sql has counted its months exactly. Otherwise
-- the window's whole months that are over, [:tallied_first, :tallied_last], come from the yearly tallies, and its
-- other days from the encounters, with duplicates and impossible dates still in.
CREATE TEMPORARY TABLE cohort_candidates ON COMMIT DROP AS
SELECT p.patient, p.birth_date
FROM cohort_possible p
WHERE NOT (CAST(:period_start AS timestamptz) < :tallied_from_instant
           OR CAST(:tallied_to_instant AS timestamptz) < :period_end)
   OR coalesce((SELECT sum(proactivecare.months_total(y.running, y.year, :tallied_first, :tallied_last))
                FROM proactivecare.attendance_year y
                WHERE y.patient = p.patient
                  AND y.category = :category
                  AND y.year BETWEEN :tallied_first / 12 AND :tallied_last / 12), 0)
      + (SELECT count(*)
         FROM proactivecare.encounter e
         WHERE e.patient = p.patient
           AND e.category = :category
           AND ((e.period_start >= :period_start AND e.period_start < :tallied_from_instant)
                OR (e.period_start >= :tallied_to_instant AND e.period_start < :period_end)))
      >= :min_attendances
