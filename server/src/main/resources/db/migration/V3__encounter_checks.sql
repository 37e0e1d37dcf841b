-- Ids, references and codes compare byte by byte: sorting and grouping millions of them under a language collation
-- costs several times more, and no order of theirs is shown to people.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT table_name, column_name
        FROM information_schema.columns
        WHERE table_schema = 'proactivecare' AND data_type = 'text' AND table_name <> 'flyway_schema_history'
    LOOP
        EXECUTE format('ALTER TABLE proactivecare.%I ALTER COLUMN %I TYPE text COLLATE "C"', col.table_name, col.column_name);
    END LOOP;
END
$$;

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
           coalesce(c.period_start < life.born, false) OR coalesce(c.period_start >= life.after_death, false)
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
    -- each patient's first and last instants alive, worked out once per patient rather than per encounter
    LEFT JOIN (
        SELECT p.id,
               p.birth_date::timestamp AT TIME ZONE 'Europe/London' AS born,
               ((p.deceased_date AT TIME ZONE 'Europe/London')::date + 1)::timestamp AT TIME ZONE 'Europe/London'
                   AS after_death
        FROM proactivecare.patient p
        WHERE patients IS NULL OR p.id = ANY (patients)
    ) life ON life.id = c.patient
    WHERE c.period_start >= window_start
$$;

-- Cohort candidates and monthly reports scan one category over a window: with the patient in the index, PostgreSQL
-- answers them from the index alone.
DROP INDEX proactivecare.encounter_category_start;
CREATE INDEX encounter_category_start ON proactivecare.encounter (category, period_start) INCLUDE (patient, practice, mode);

-- one row per coding an Encounter is classified by (type, serviceType, class): data quality lists the codes of
-- unclassified encounters from it
CREATE TABLE proactivecare.encounter_coding (
    id      text COLLATE "C" NOT NULL,
    patient text COLLATE "C",
    system  text COLLATE "C",
    code    text COLLATE "C",
    display text
);
CREATE INDEX encounter_coding_id ON proactivecare.encounter_coding (id);
