-- The codings of the unclassified encounters of the patients (:patients) in the window, per practice, most frequent
-- first: each is a mapping to add to mappings/.
SELECT p.registered_practice AS practice,
       ec.system,
       ec.code,
       max(ec.display) AS display,
       count(DISTINCT e.id) AS encounters
FROM proactivecare.encounter e
JOIN proactivecare.patient p ON p.id = e.patient
JOIN proactivecare.encounter_coding ec ON ec.id = e.id
WHERE e.category = 'unclassified'
  AND e.patient = ANY (:patients)
  AND e.period_start >= :period_start
  AND e.period_start < :period_end
GROUP BY p.registered_practice, ec.system, ec.code
ORDER BY practice, encounters DESC, ec.system, ec.code
