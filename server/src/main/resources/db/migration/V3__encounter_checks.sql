-- What counts as an attendance, shared by cohorts, reports and data quality.
--
-- checked_encounters answers the encounters of some patients (all when patients is null) of some categories (all when
-- categories is null) that start in [window_start, window_end), each with three checks:
--   duplicate    it starts within 10 minutes of the patient's previous encounter of the same category (the previous
--                one may lie just before the window); the first of a run of duplicates is the one that counts;
--   in_future    it starts after now;
--   outside_life it falls on a day before the patient's birth date or after the day of death (Europe/London dates).
-- An encounter that fails a check is not an attendance; data quality counts them instead.
CREATE FUNCTION proactivecare.checked_encounters(
        patients text[], categories text[], window_start timestamptz, window_end timestamptz)
    RETURNS TABLE (
        id           text,
        patient      text,
        practice     text,
        category     text,
        mode         text,
        period_start timestamptz,
        duplicate    boolean,
        in_future    boolean,
        outside_life boolean)
    LANGUAGE sql STABLE
AS $$
    SELECT c.id, c.patient, c.practice, c.category, c.mode, c.period_start,
           coalesce(c.period_start - c.previous_start <= interval '10 minutes', false),
           c.period_start > now(),
           coalesce((c.period_start AT TIME ZONE 'Europe/London')::date < p.birth_date, false)
               OR coalesce((c.period_start AT TIME ZONE 'Europe/London')::date
                   > (p.deceased_date AT TIME ZONE 'Europe/London')::date, false)
    FROM (
        SELECT e.id, e.patient, e.practice, e.category, e.mode, e.period_start,
               lag(e.period_start) OVER (PARTITION BY e.patient, e.category ORDER BY e.period_start, e.id)
                   AS previous_start
        FROM proactivecare.encounter e
        WHERE (patients IS NULL OR e.patient = ANY (patients))
          AND (categories IS NULL OR e.category = ANY (categories))
          AND e.period_start >= window_start - interval '10 minutes'
          AND e.period_start < window_end
    ) c
    LEFT JOIN proactivecare.patient p ON p.id = c.patient
    WHERE c.period_start >= window_start
$$;

-- Cohort candidates and monthly reports scan one category over a window: with the patient in the index, PostgreSQL
-- answers them from the index alone.
DROP INDEX proactivecare.encounter_category_start;
CREATE INDEX encounter_category_start ON proactivecare.encounter (category, period_start) INCLUDE (patient, practice, mode);

-- one row per coding an Encounter is classified by (type, serviceType, class): data quality lists the codes of
-- unclassified encounters from it
CREATE TABLE proactivecare.encounter_coding (
    id      text NOT NULL,
    patient text,
    system  text,
    code    text,
    display text
);
CREATE INDEX encounter_coding_id ON proactivecare.encounter_coding (id);
