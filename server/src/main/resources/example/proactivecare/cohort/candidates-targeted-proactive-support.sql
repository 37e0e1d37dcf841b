-- Targeted proactive support is looked for among the patients with enough unplanned admissions (candidates.sql); the
-- medication rule is applied on the exact figures.
SELECT 'unplanned-admission' AS category, :min_unplanned_admissions AS min_attendances
