-- The attendances of each candidate (cohort_candidates, from candidates.sql) in the window's whole months that are
-- over, [:tallied_first, :tallied_last], from the yearly tallies by category and mode (migration V6), which count only
-- encounters that pass checked_encounters' checks: one row per candidate, for member-figures.sql. GP attendances by
-- mode are `mode=count` pairs, one for each year of the window that holds some of that mode; the reader adds up a
-- mode's pairs (grouping here, candidate by candidate, cost more than the rest of this statement).
CREATE TEMPORARY TABLE cohort_tallied ON COMMIT DROP AS
SELECT c.patient, t.*
FROM cohort_candidates c
CROSS JOIN LATERAL (
    SELECT sum(x.attendances) FILTER (WHERE x.category = 'gp-attendance') AS gp_attendances,
           string_agg(x.mode || '=' || x.attendances, ',')
               FILTER (WHERE x.category = 'gp-attendance' AND x.attendances > 0) AS gp_attendances_by_mode,
           sum(x.attendances) FILTER (WHERE x.category = 'ed-attendance') AS ed_attendances,
           sum(x.attendances) FILTER (WHERE x.category = 'unplanned-admission') AS unplanned_admissions,
           sum(x.attendances) FILTER (WHERE x.category = 'contact-999') AS contacts_999,
           sum(x.attendances) FILTER (WHERE x.category = 'contact-111') AS contacts_111
    FROM (
        SELECT m.category, m.mode,
               proactivecare.months_total(m.running, m.year, :tallied_first, :tallied_last) AS attendances
        FROM proactivecare.attendance_year_mode m
        WHERE m.patient = c.patient
          AND m.year BETWEEN :tallied_first / 12 AND :tallied_last / 12
    ) x
) t
