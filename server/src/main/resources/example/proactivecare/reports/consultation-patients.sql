-- The patients with a GP attendance in [:window_start, :window_end) counted at one of :organizations (the practice that
-- delivered it, or the patient's registered practice when the encounter names none): consultations.sql then checks
-- only their encounters. Before the attendance checks, so it can only overstate.
SELECT DISTINCT e.patient
FROM proactivecare.encounter e
LEFT JOIN proactivecare.patient p ON p.id = e.patient
WHERE e.category = 'gp-attendance'
  AND e.period_start >= :window_start
  AND e.period_start < :window_end
  AND coalesce(e.practice, p.registered_practice) = ANY (:organizations)
