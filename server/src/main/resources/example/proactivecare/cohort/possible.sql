-- The patients of one partition who could be candidates (candidates.sql), kept in a temporary table with their birth
-- dates: in scope, alive at the end of the window, and with enough attendances of :category in the calendar years the
-- window touches (:first_year to :last_year). Those years must hold :min_attendances between them, so one of them at
-- least :min_per_year: the yearly tallies' index finds those patients without reading anyone else's, then their years
-- are added up. A window within one calendar year needs no adding up: :min_per_year is then :min_attendances, which
-- the index has already checked.
-- A derivation is split into :partitions partitions by a hash of the patient id, each run on its own connection over
-- the same snapshot; this is partition :partition.
CREATE TEMPORARY TABLE cohort_possible ON COMMIT DROP AS
SELECT heavy.patient, p.birth_date
FROM (
    SELECT DISTINCT h.patient
    FROM proactivecare.attendance_year h
    WHERE h.category = :category
      AND h.year BETWEEN :first_year AND :last_year
      AND h.attendances >= :min_per_year
      AND (hashtext(h.patient) & 2147483647) % :partitions = :partition
) heavy
JOIN proactivecare.patient p ON p.id = heavy.patient
WHERE (:all_practices OR p.registered_practice = ANY (:practices))
  AND (p.deceased_date IS NULL OR p.deceased_date >= :period_end)
  AND (:first_year = :last_year
       OR (SELECT sum(y.attendances)
           FROM proactivecare.attendance_year y
           WHERE y.patient = heavy.patient
             AND y.category = :category
             AND y.year BETWEEN :first_year AND :last_year) >= :min_attendances)
