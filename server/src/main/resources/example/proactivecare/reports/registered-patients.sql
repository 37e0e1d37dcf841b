-- A practice's list size at the end of a period: the patients registered there (Patient.generalPractitioner; the
-- projection holds the current registration) born by the period's last day (:last_day) and alive at its end (not dead
-- before :period_end, the midnight after it), as cohorts count the living.
SELECT registered_practice AS practice, count(*) AS patients
FROM proactivecare.patient
WHERE registered_practice = ANY (:practices)
  AND (birth_date IS NULL OR birth_date <= :last_day)
  AND (deceased_date IS NULL OR deceased_date >= :period_end)
GROUP BY registered_practice
