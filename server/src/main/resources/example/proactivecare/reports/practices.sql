-- The practices under a scope (:scope): the organisations under it through partOf that no organisation is partOf (the
-- scope itself when nothing is under it), each with its group for groupBy=partOf: the organisation directly under the
-- scope that it is part of, or the scope itself for a practice directly under the scope (or for the scope itself).
WITH RECURSIVE under (id, branch, depth) AS (
    SELECT o.id, CAST(NULL AS text) COLLATE "C", 0
    FROM proactivecare.practice o
    WHERE o.id = :scope
    UNION ALL
    SELECT child.id, coalesce(under.branch, child.id), under.depth + 1
    FROM proactivecare.practice child
    JOIN under ON child.part_of = under.id
    WHERE under.depth < 10
)
SELECT DISTINCT ON (u.id)
       u.id,
       o.ods_code,
       o.name,
       coalesce(o.active, true) AS active,
       CASE WHEN u.branch IS NULL OR u.branch = u.id THEN :scope ELSE u.branch END AS group_id
FROM under u
JOIN proactivecare.practice o ON o.id = u.id
WHERE NOT EXISTS (SELECT 1 FROM proactivecare.practice child WHERE child.part_of = u.id)
ORDER BY u.id, u.depth
