-- Every organisation a report scope (:scope) covers: the scope and everything under it through partOf, with the ODS
-- code and name each is shown with (a ranking's groups, a report's subject).
WITH RECURSIVE under (id, depth) AS (
    SELECT o.id, 0
    FROM proactivecare.practice o
    WHERE o.id = :scope
    UNION ALL
    SELECT child.id, under.depth + 1
    FROM proactivecare.practice child
    JOIN under ON child.part_of = under.id
    WHERE under.depth < 10
)
SELECT DISTINCT o.id, o.ods_code, o.name
FROM under u
JOIN proactivecare.practice o ON o.id = u.id
