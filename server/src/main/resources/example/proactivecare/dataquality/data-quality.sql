-- Findings per practice, over the records of the patients registered there (:patients).
--   duplicate-encounter, unclassified-encounter: encounters that start in the window [:period_start, :period_end);
--   future-encounter, encounter-outside-life: any of the patients' encounters, whenever they are dated;
--   stale-medication: MedicationStatements active (or intended, or of unknown status) with no end that started before
--     :stale_before, a year before the end of the window.
-- Each finding counts its records, the patients they belong to, and those of them in :members (the patients who are
-- members of a cohort over the same window).
WITH registered AS (
    SELECT id, registered_practice AS practice
    FROM proactivecare.patient
    WHERE id = ANY (:patients)
),
checked AS (
    SELECT r.practice, ce.patient, ce.category, ce.period_start, ce.duplicate, ce.in_future, ce.outside_life
    FROM proactivecare.checked_encounters(:patients, NULL, '-infinity', 'infinity') ce
    JOIN registered r ON r.id = ce.patient
),
finding AS (
    SELECT practice, patient, 'duplicate-encounter' AS finding
    FROM checked
    WHERE duplicate AND period_start >= :period_start AND period_start < :period_end
    UNION ALL
    SELECT practice, patient, 'unclassified-encounter'
    FROM checked
    WHERE category = 'unclassified' AND period_start >= :period_start AND period_start < :period_end
    UNION ALL
    SELECT practice, patient, 'future-encounter' FROM checked WHERE in_future
    UNION ALL
    SELECT practice, patient, 'encounter-outside-life' FROM checked WHERE outside_life
    UNION ALL
    SELECT r.practice, s.patient, 'stale-medication'
    FROM proactivecare.medication_statement s
    JOIN registered r ON r.id = s.patient
    WHERE s.effective_end IS NULL
      AND coalesce(s.status, 'unknown') IN ('active', 'intended', 'unknown')
      AND s.effective_start < :stale_before
)
SELECT practice,
       finding,
       count(*) AS records,
       count(DISTINCT patient) AS patients,
       count(DISTINCT patient) FILTER (WHERE patient = ANY (:members)) AS members_affected
FROM finding
GROUP BY practice, finding
