-- possible.sql for a window that touches more than 13 months: the patients of one partition who could be candidates
-- (candidates.sql), kept in a temporary table with their birth dates: in scope, alive at the end of the window, and
-- with at least :min_attendances attendances of :category in the months the window touches, [:bound_first,
-- :bound_last] (numbered as proactivecare.months_total numbers them, in the calendar years :first_year to
-- :last_year). That count can only overstate the window's.
-- Those years must hold :min_attendances between them, so one of them at least :min_per_year: the yearly tallies'
-- index finds those patients (a year's peak_13_months is at least its own attendances), with the running totals of
-- the years it found, without reading anyone else's. A year it did not find holds fewer than :min_per_year, so a
-- patient whose years found fall short by more than that allows is left out unread; one who may still reach the
-- threshold has all their years read.
-- A derivation is split into :partitions partitions by a hash of the patient id, each run on its own connection over
-- the same snapshot; this is partition :partition.
CREATE TEMPORARY TABLE cohort_possible ON COMMIT DROP AS
WITH found AS (
    SELECT h.patient,
           count(*) AS years,
           sum(proactivecare.months_total(h.running, h.year, :bound_first, :bound_last)) AS attendances
    FROM proactivecare.attendance_year h
    WHERE h.category = :category
      AND h.year BETWEEN :first_year AND :last_year
      AND h.peak_13_months >= :min_per_year
      AND h.attendances >= :min_per_year
      AND (hashtext(h.patient) & 2147483647) % :partitions = :partition
    GROUP BY h.patient
)
SELECT f.patient, p.birth_date
FROM found f
JOIN proactivecare.patient p ON p.id = f.patient
WHERE (:all_practices OR p.registered_practice = ANY (:practices))
  AND (p.deceased_date IS NULL OR p.deceased_date >= :period_end)
  AND (f.attendances >= :min_attendances
       OR (f.years < :last_year - :first_year + 1
           AND f.attendances + (:last_year - :first_year + 1 - f.years) * (:min_per_year - 1) >= :min_attendances
           AND (SELECT sum(proactivecare.months_total(y.running, y.year, :bound_first, :bound_last))
                FROM proactivecare.attendance_year y
                WHERE y.patient = f.patient
                  AND y.category = :category
                  AND y.year BETWEEN :first_year AND :last_year) >= :min_attendances))
