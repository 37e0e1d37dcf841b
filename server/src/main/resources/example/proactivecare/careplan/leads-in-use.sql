-- Capacity in use: the active CarePlans each role (:roles) leads, as their author.
SELECT cp.author AS role, count(*) AS plans
FROM proactivecare.care_plan cp
WHERE cp.author = ANY (CAST(:roles AS text[]))
  AND cp.status = 'active'
GROUP BY cp.author
