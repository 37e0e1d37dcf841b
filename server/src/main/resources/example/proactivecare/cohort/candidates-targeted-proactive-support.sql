-- Patients in scope, alive at the end of the window, with at least :min_unplanned_admissions unplanned admissions in
-- it, before duplicates and impossible dates are taken out. The medication rule is applied on the exact figures.
SELECT e.patient
FROM proactivecare.encounter e
JOIN proactivecare.patient p ON p.id = e.patient
WHERE e.category = 'unplanned-admission'
  AND e.period_start >= :period_start
  AND e.period_start < :period_end
  AND (:all_practices OR p.registered_practice = ANY (:practices))
  AND (p.deceased_date IS NULL OR p.deceased_date >= :period_end)
GROUP BY e.patient
HAVING count(*) >= :min_unplanned_admissions
