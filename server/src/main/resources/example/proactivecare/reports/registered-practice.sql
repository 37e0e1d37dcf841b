-- The practice each of some patients (:patients) is registered at.
SELECT id AS patient, registered_practice AS practice
FROM proactivecare.patient
WHERE id = ANY (:patients)
