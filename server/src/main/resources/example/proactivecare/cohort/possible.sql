-- The patients of one partition who could be candidates (candidates.sql), kept in a temporary table with their birth
-- dates: in scope, alive at the end of the window, and with at least :min_attendances attendances of :category in the
-- months the window touches, [:bound_first, :bound_last] (numbered as proactivecare.months_total numbers them). That
-- count can only overstate the window's.
-- This is for a window that touches at most 13 months (possible-long-window.sql is for longer ones): those months lie
-- in :last_year and the year before, and hold no more than the year's peak_13_months (migration V7). The yearly
-- tallies' index finds the patients whose peak reaches :min_attendances, one row each, with both years' running
-- totals, which count the months exactly; no one else is read.
-- A derivation is split into :partitions partitions by a hash of the patient id, each run on its own connection over
-- the same snapshot; this is partition :partition.
CREATE TEMPORARY TABLE cohort_possible ON COMMIT DROP AS
SELECT h.patient, p.birth_date
FROM proactivecare.attendance_year h
JOIN proactivecare.patient p ON p.id = h.patient
WHERE h.category = :category
  AND h.year = :last_year
  AND h.peak_13_months >= :min_attendances
  AND (hashtext(h.patient) & 2147483647) % :partitions = :partition
  AND proactivecare.months_total(h.running, h.year, :bound_first, :bound_last)
      + proactivecare.months_total(h.running_before, h.year - 1, :bound_first, :bound_last) >= :min_attendances
  AND (:all_practices OR p.registered_practice = ANY (:practices))
  AND (p.deceased_date IS NULL OR p.deceased_date >= :period_end)
-- in patient order, the order of the indexes the later statements look each candidate up in
ORDER BY h.patient
