-- The possible patients (cohort_possible, from possible.sql) who could have at least :min_attendances attendances of
-- :category in the window (the kind's candidates-<kind>.sql names both), kept in a temporary table for
-- member-figures.sql, which counts exactly. It never leaves out a patient who has that many, and lets in few who have
-- not: the window's whole months that are over come from the tallies (cohort_tallied, from tallied.sql), and its other
-- days from the encounters, with duplicates and impossible dates still in.
CREATE TEMPORARY TABLE cohort_candidates ON COMMIT DROP AS
SELECT p.patient, p.birth_date
FROM cohort_possible p
JOIN (
    SELECT a.patient
    FROM (
        SELECT t.patient, t.attendances
        FROM cohort_tallied t
        WHERE t.category = :category
        UNION ALL
        SELECT e.patient, 1
        FROM proactivecare.encounter e
        JOIN cohort_possible possible ON possible.patient = e.patient
        WHERE e.category = :category
          AND ((e.period_start >= :period_start AND e.period_start < :tallied_from_instant)
               OR (e.period_start >= :tallied_to_instant AND e.period_start < :period_end))
    ) a
    GROUP BY a.patient
    HAVING sum(a.attendances) >= :min_attendances
) c ON c.patient = p.patient
