-- A&E frequent attenders are looked for among the patients with enough ED attendances (candidates.sql).
SELECT 'ed-attendance' AS category, :min_ed_attendances AS min_attendances
