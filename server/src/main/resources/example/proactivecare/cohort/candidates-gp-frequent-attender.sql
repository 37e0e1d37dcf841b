-- GP frequent attenders are looked for among the patients with enough GP attendances (candidates.sql).
SELECT 'gp-attendance' AS category, :min_gp_attendances AS min_attendances
