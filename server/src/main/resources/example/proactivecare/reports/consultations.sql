-- Consultations (GP attendances) per organisation and calendar month (Europe/London) in [:window_start, :window_end):
-- the gp-attendance encounters of :patients (all patients when null) that pass the attendance checks of
-- proactivecare.checked_encounters, as cohorts count them (no duplicates, nothing in the future or outside the
-- patient's life). Each is counted at the practice that delivered it (Encounter.serviceProvider), or at the patient's
-- registered practice when the encounter names none; only those counted at one of :organizations are returned.
-- face_to_face: those whose GPAD mode is one of :face_to_face_modes (ValueSet face-to-face-modes).
SELECT coalesce(ce.practice, p.registered_practice) AS organization,
       to_char(ce.period_start AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month,
       count(*) AS consultations,
       count(*) FILTER (WHERE ce.mode = ANY (:face_to_face_modes)) AS face_to_face
FROM proactivecare.checked_encounters(CAST(:patients AS text[]), ARRAY['gp-attendance'], :window_start, :window_end) ce
LEFT JOIN proactivecare.patient p ON p.id = ce.patient
WHERE NOT (ce.duplicate OR ce.in_future OR ce.outside_life)
  AND coalesce(ce.practice, p.registered_practice) = ANY (:organizations)
GROUP BY 1, 2
