-- The patients a care plan run is for (:patients), each with what allocation needs from the projection: whether they
-- have died, the registered practice and the organisation it is part of (its PCN), and the patient's personalised care and support plans
-- (category :category): an active or on-hold one (the patient already has a plan), and the earliest draft (a plan
-- awaiting capacity, which a run activates rather than making another). A patient the projection does not hold comes
-- back with nulls. Rows come in the order of :patients.
SELECT ids.patient,
       p.registered_practice AS practice,
       p.deceased_date IS NOT NULL AS deceased,
       o.part_of AS pcn,
       (SELECT cp.id
        FROM proactivecare.care_plan cp
        WHERE cp.patient = ids.patient
          AND cp.status IN ('active', 'on-hold')
          AND cp.category_code = :category
        ORDER BY cp.id
        LIMIT 1) AS current_plan,
       draft.id AS draft_plan,
       draft.period_start AS draft_since
FROM unnest(CAST(:patients AS text[])) WITH ORDINALITY AS ids(patient, n)
LEFT JOIN proactivecare.patient p ON p.id = ids.patient
LEFT JOIN proactivecare.practice o ON o.id = p.registered_practice
LEFT JOIN LATERAL (
    SELECT cp.id, cp.period_start
    FROM proactivecare.care_plan cp
    WHERE cp.patient = ids.patient
      AND cp.status = 'draft'
      AND cp.category_code = :category
    ORDER BY cp.period_start, cp.id
    LIMIT 1
) draft ON true
ORDER BY ids.n
