-- The figures of each candidate patient (the temporary table cohort_candidates, from candidates.sql) over the window
-- [:period_start, :period_end), kept in a temporary table that the cohort's own rule (<cohort>.sql) selects its members
-- from.
--   Attendances: encounters of each category that pass checked_encounters' checks (no duplicates, nothing in the
--     future or outside the patient's life). Cancelled, entered-in-error and DNA encounters are not-an-appointment.
--     The window's whole months that are over come from the yearly tallies, as tallied.sql read them (cohort_tallied);
--     its days before and after them are checked here. GP attendances by mode are `mode=count` pairs, a mode once for
--     each year of the tallied months and once for the other days that hold some of it; the reader adds up a mode's
--     pairs.
--   Distinct medications: medication codes (or Medication references) of MedicationStatements, and MedicationRequests,
--     active at any time in the window. A statement with no end is active from its start on; a request is active over
--     its validity period, or when it has none, on the day it was authored (or from then on while it is active).
--   Long-term conditions: Conditions with a code in the long-term-conditions value set, not refuted or entered in
--     error, active (or with no clinical status) and not abated at the end of the window; counted per Condition.
--   Psychosocial: any such Condition with a code in the psychosocial-risk-factors value set.
--   Age: whole years at the last day of the window.
CREATE TEMPORARY TABLE cohort_figures ON COMMIT DROP AS
WITH edges AS (
    -- the window's days before and after its tallied months, from the encounters (a range that is empty is not
    -- looked at)
    SELECT c.patient, c.category, coalesce(c.mode, 'unknown') AS mode, count(*) AS attendances
    FROM (
        SELECT *
        FROM proactivecare.checked_encounters(
            ARRAY(SELECT patient FROM cohort_candidates), NULL, :period_start, :tallied_from_instant)
        WHERE CAST(:period_start AS timestamptz) < :tallied_from_instant
        UNION ALL
        SELECT *
        FROM proactivecare.checked_encounters(
            ARRAY(SELECT patient FROM cohort_candidates), NULL, :tallied_to_instant, :period_end)
        WHERE CAST(:tallied_to_instant AS timestamptz) < :period_end
    ) c
    WHERE NOT (c.duplicate OR c.in_future OR c.outside_life)
    GROUP BY 1, 2, 3
),
edge_counts AS (
    SELECT patient,
           sum(attendances) FILTER (WHERE category = 'gp-attendance') AS gp_attendances,
           string_agg(mode || '=' || attendances, ',') FILTER (WHERE category = 'gp-attendance')
               AS gp_attendances_by_mode,
           sum(attendances) FILTER (WHERE category = 'ed-attendance') AS ed_attendances,
           sum(attendances) FILTER (WHERE category = 'unplanned-admission') AS unplanned_admissions,
           sum(attendances) FILTER (WHERE category = 'contact-999') AS contacts_999,
           sum(attendances) FILTER (WHERE category = 'contact-111') AS contacts_111
    FROM edges
    GROUP BY patient
),
-- medications and conditions are read candidate by candidate, through the patient indexes: a few rows each, out of
-- tables of millions
medication_counts AS (
    SELECT c.patient, m.distinct_medications
    FROM cohort_candidates c
    CROSS JOIN LATERAL (
        SELECT count(DISTINCT medication) AS distinct_medications
        FROM (
            SELECT coalesce(s.medication_system || '|' || s.medication_code, 'Medication/' || s.medication)
                       AS medication
            FROM proactivecare.medication_statement s
            WHERE s.patient = c.patient
              AND coalesce(s.status, 'unknown') NOT IN ('entered-in-error', 'not-taken')
              AND (s.effective_start IS NULL OR s.effective_start < :period_end)
              AND (s.effective_end IS NULL OR s.effective_end >= :period_start)
            UNION ALL
            SELECT coalesce(r.medication_system || '|' || r.medication_code, 'Medication/' || r.medication)
            FROM proactivecare.medication_request r
            WHERE r.patient = c.patient
              AND coalesce(r.status, 'unknown') NOT IN ('entered-in-error', 'cancelled', 'draft')
              AND coalesce(r.validity_start, r.authored_on) < :period_end
              AND coalesce(
                      r.validity_end,
                      CASE WHEN r.status = 'active' THEN 'infinity'::timestamptz
                           ELSE coalesce(r.validity_start, r.authored_on) END) >= :period_start
        ) active
    ) m
),
condition_counts AS (
    SELECT c.patient, x.long_term_conditions, x.psychosocial
    FROM cohort_candidates c
    CROSS JOIN LATERAL (
        SELECT count(DISTINCT cd.id) FILTER (WHERE cd.system || '|' || cd.code = ANY (:long_term_conditions))
                   AS long_term_conditions,
               coalesce(bool_or(cd.system || '|' || cd.code = ANY (:psychosocial_risk_factors)), false)
                   AS psychosocial
        FROM proactivecare.condition cd
        WHERE cd.patient = c.patient
          AND coalesce(cd.clinical_status, 'active') IN ('active', 'recurrence', 'relapse')
          AND coalesce(cd.verification_status, 'unconfirmed') NOT IN ('refuted', 'entered-in-error')
          AND (cd.onset IS NULL OR cd.onset < :period_end)
          AND (cd.abatement IS NULL OR cd.abatement >= :period_end)
    ) x
)
SELECT c.patient,
       date_part('year', age(CAST(:period_end_date AS date), c.birth_date))::integer AS age,
       coalesce(t.gp_attendances, 0) + coalesce(e.gp_attendances, 0) AS gp_attendances,
       nullif(concat_ws(',', t.gp_attendances_by_mode, e.gp_attendances_by_mode), '') AS gp_attendances_by_mode,
       coalesce(t.ed_attendances, 0) + coalesce(e.ed_attendances, 0) AS ed_attendances,
       coalesce(t.unplanned_admissions, 0) + coalesce(e.unplanned_admissions, 0) AS unplanned_admissions,
       coalesce(t.contacts_999, 0) + coalesce(e.contacts_999, 0) AS contacts_999,
       coalesce(t.contacts_111, 0) + coalesce(e.contacts_111, 0) AS contacts_111,
       coalesce(mc.distinct_medications, 0) AS distinct_medications,
       coalesce(cc.long_term_conditions, 0) AS long_term_conditions,
       coalesce(cc.psychosocial, false) AS psychosocial
FROM cohort_candidates c
LEFT JOIN cohort_tallied t ON t.patient = c.patient
LEFT JOIN edge_counts e ON e.patient = c.patient
LEFT JOIN medication_counts mc ON mc.patient = c.patient
LEFT JOIN condition_counts cc ON cc.patient = c.patient
