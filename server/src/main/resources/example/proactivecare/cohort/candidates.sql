-- The patients in scope, alive at the end of the window, who could have at least :min_attendances attendances of
-- :category in it (the kind's candidates-<kind>.sql names both), kept in a temporary table for member-figures.sql,
-- which counts exactly. It never leaves out a patient who has that many, and lets in few who have not. Two steps:
--   1. the calendar years the window touches (:first_year to :last_year) must hold :min_attendances between them, so
--      one of them at least :min_per_year: the yearly tallies' index finds those patients without reading anyone
--      else's, then their years are added up;
--   2. the window's whole months that are over [:tallied_from, :tallied_to) from the monthly tallies, and its other
--      days from the encounters (duplicates and impossible dates still in), must hold :min_attendances.
CREATE TEMPORARY TABLE cohort_candidates ON COMMIT DROP AS
WITH possible AS MATERIALIZED (
    SELECT y.patient
    FROM (
        SELECT DISTINCT h.patient
        FROM proactivecare.attendance_year h
        WHERE h.category = :category
          AND h.year BETWEEN :first_year AND :last_year
          AND h.attendances >= :min_per_year
    ) heavy
    JOIN proactivecare.attendance_year y
      ON y.patient = heavy.patient AND y.category = :category AND y.year BETWEEN :first_year AND :last_year
    GROUP BY y.patient
    HAVING sum(y.attendances) >= :min_attendances
)
SELECT c.patient
FROM (
    SELECT a.patient
    FROM (
        SELECT t.patient, t.attendances
        FROM proactivecare.attendance_month t
        JOIN possible ON possible.patient = t.patient
        WHERE t.category = :category
          AND t.month >= :tallied_from
          AND t.month < :tallied_to
        UNION ALL
        SELECT e.patient, 1
        FROM proactivecare.encounter e
        JOIN possible ON possible.patient = e.patient
        WHERE e.category = :category
          AND ((e.period_start >= :period_start AND e.period_start < :tallied_from_instant)
               OR (e.period_start >= :tallied_to_instant AND e.period_start < :period_end))
    ) a
    GROUP BY a.patient
    HAVING sum(a.attendances) >= :min_attendances
) c
JOIN proactivecare.patient p ON p.id = c.patient
WHERE (:all_practices OR p.registered_practice = ANY (:practices))
  AND (p.deceased_date IS NULL OR p.deceased_date >= :period_end)
