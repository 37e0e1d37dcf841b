-- The organisation a cohort is scoped to and every organisation under it through partOf (an ICB's PCNs and their
-- practices, a PCN's practices, or just the practice). Patients are in scope when their registered practice is one of them.
WITH RECURSIVE under (id, depth) AS (
    SELECT o.id, 0
    FROM proactivecare.practice o
    WHERE o.id = :scope
    UNION
    SELECT child.id, under.depth + 1
    FROM proactivecare.practice child
    JOIN under ON child.part_of = under.id
    WHERE under.depth < 10
)
SELECT DISTINCT id FROM under
