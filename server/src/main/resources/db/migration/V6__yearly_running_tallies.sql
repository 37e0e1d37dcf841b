-- Attendance tallies by calendar year, each with its running totals by month, in place of the monthly tallies of V4.
--
-- A derivation over a window adds up, for each patient, the months the window covers. With a row per month that was
-- a dozen rows or more per patient, grouped again for every patient; now it is a row per calendar year the window
-- touches, and a month range of a year is running[last] - running[first - 1]. The yearly index then finds the
-- patients whose years could hold enough attendances with each year's running totals at hand, which also narrows a
-- window across two years to the months it covers.
--
-- running[m] is the number of attendances from 1 January to the end of month m (Europe/London): running[12] is the
-- year's. What is counted has not changed (checked_encounters' duplicate and outside-life checks, by category and GP
-- appointment mode; not the in-future check, so readers use only months that are over). The triggers of V4 keep
-- calling tally_attendances, redefined here.
DROP TABLE proactivecare.attendance_month;
DROP TABLE proactivecare.attendance_year;

-- by category and mode: the figures of a cohort's candidates
CREATE TABLE proactivecare.attendance_year_mode (
    patient  text COLLATE "C" NOT NULL,
    year     integer NOT NULL,
    category text COLLATE "C" NOT NULL,
    mode     text COLLATE "C" NOT NULL,
    running  integer[] NOT NULL,
    PRIMARY KEY (patient, year, category, mode) INCLUDE (running)
);

-- by category, all modes together: the patients who could be candidates
CREATE TABLE proactivecare.attendance_year (
    patient     text COLLATE "C" NOT NULL,
    category    text COLLATE "C" NOT NULL,
    year        integer NOT NULL,
    attendances integer NOT NULL,
    running     integer[] NOT NULL,
    PRIMARY KEY (patient, category, year) INCLUDE (running)
);
CREATE INDEX attendance_year_category
    ON proactivecare.attendance_year (category, year, attendances) INCLUDE (patient, running);

-- The attendances of a yearly row in the months [first_month, last_month], months numbered year * 12 + month - 1
-- (a range that starts after it ends holds none). The row's year must lie within the range's years.
CREATE FUNCTION proactivecare.months_total(running integer[], year integer, first_month integer, last_month integer)
    RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN last_month < first_month THEN 0
               ELSE running[least(last_month - year * 12, 11) + 1]
                    - CASE WHEN first_month > year * 12 THEN running[first_month - year * 12] ELSE 0 END
           END
$$;

CREATE OR REPLACE FUNCTION proactivecare.tally_attendances(patients text[]) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    IF patients IS NULL THEN
        DELETE FROM proactivecare.attendance_year_mode;
        DELETE FROM proactivecare.attendance_year;
    ELSE
        DELETE FROM proactivecare.attendance_year_mode WHERE patient = ANY (patients);
        DELETE FROM proactivecare.attendance_year WHERE patient = ANY (patients);
    END IF;
    INSERT INTO proactivecare.attendance_year_mode (patient, year, category, mode, running)
    SELECT m.patient, m.year, m.category, m.mode,
           ARRAY[
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 1), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 2), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 3), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 4), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 5), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 6), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 7), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 8), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 9), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 10), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 11), 0)::integer,
               coalesce(sum(m.attendances) FILTER (WHERE m.month <= 12), 0)::integer]
    FROM (
        SELECT c.patient,
               extract(year FROM c.period_start AT TIME ZONE 'Europe/London')::integer AS year,
               c.category,
               coalesce(c.mode, 'unknown') AS mode,
               extract(month FROM c.period_start AT TIME ZONE 'Europe/London')::integer AS month,
               count(*) AS attendances
        FROM proactivecare.checked_encounters(patients, NULL, '-infinity', 'infinity') c
        WHERE c.patient IS NOT NULL AND NOT (c.duplicate OR c.outside_life)
        GROUP BY 1, 2, 3, 4, 5
    ) m
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4; -- a patient's tallies together on disk
    INSERT INTO proactivecare.attendance_year (patient, category, year, attendances, running)
    SELECT t.patient, t.category, t.year, sum(t.running[12]),
           ARRAY[
               sum(t.running[1])::integer,
               sum(t.running[2])::integer,
               sum(t.running[3])::integer,
               sum(t.running[4])::integer,
               sum(t.running[5])::integer,
               sum(t.running[6])::integer,
               sum(t.running[7])::integer,
               sum(t.running[8])::integer,
               sum(t.running[9])::integer,
               sum(t.running[10])::integer,
               sum(t.running[11])::integer,
               sum(t.running[12])::integer]
    FROM proactivecare.attendance_year_mode t
    WHERE patients IS NULL OR t.patient = ANY (patients)
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3;
END
$$;

CREATE OR REPLACE FUNCTION proactivecare.encounters_truncated() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    TRUNCATE proactivecare.attendance_year_mode, proactivecare.attendance_year, proactivecare.attendance_tally_pending;
    RETURN NULL;
END
$$;

-- the encounters already projected
SELECT proactivecare.tally_attendances(NULL);
