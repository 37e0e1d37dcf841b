-- The practices among the organisations of a scope: those no organisation is partOf.
SELECT o.id, o.name
FROM proactivecare.practice o
WHERE o.id = ANY (:organizations)
  AND NOT EXISTS (SELECT 1 FROM proactivecare.practice child WHERE child.part_of = o.id)
ORDER BY o.id
