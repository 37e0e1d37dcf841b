-- The Conditions a plan addresses: each patient's current long-term and psychosocial conditions (codes :codes of the
-- long-term-conditions and psychosocial-risk-factors value sets, as system|code), not refuted or entered in error,
-- active (or with no clinical status) and not abated by :start. One row per Condition.
SELECT DISTINCT cd.patient, cd.id
FROM proactivecare.condition cd
WHERE cd.patient = ANY (CAST(:patients AS text[]))
  AND cd.system || '|' || cd.code = ANY (CAST(:codes AS text[]))
  AND coalesce(cd.clinical_status, 'active') IN ('active', 'recurrence', 'relapse')
  AND coalesce(cd.verification_status, 'unconfirmed') NOT IN ('refuted', 'entered-in-error')
  AND (cd.abatement IS NULL OR cd.abatement > :start)
ORDER BY cd.patient, cd.id
