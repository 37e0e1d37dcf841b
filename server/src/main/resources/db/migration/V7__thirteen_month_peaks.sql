-- Each yearly tally (V6) also carries the year before's running totals and the most attendances in 13 consecutive
-- months ending in its year, so that the usual window (the 12 months to a day, which touches 13 calendar months
-- across two years) is found from one index row per patient.
--
-- A window that touches at most 13 months all lies in its last year and the year before, and it holds no more
-- attendances than peak_13_months of its last year. The index on (category, year, peak_13_months) finds the patients
-- it could hold enough for, and carries both years' running totals, which count the window's months exactly. V6's
-- index on (category, year, attendances) found every patient with enough in either year instead: across two years,
-- three times as many patients as qualify, grouped year by year, some looked up again. Longer windows still use the
-- yearly attendances, now from the new index (a year's peak is at least its own attendances).
--
-- A window can end in a year with no attendances and still hold enough from the year before, so a year after a year
-- with attendances has a row too, with attendances 0.
DROP TABLE proactivecare.attendance_year;
CREATE TABLE proactivecare.attendance_year (
    patient        text COLLATE "C" NOT NULL,
    category       text COLLATE "C" NOT NULL,
    year           integer NOT NULL,
    attendances    integer NOT NULL,
    running        integer[] NOT NULL,
    running_before integer[] NOT NULL,
    peak_13_months integer NOT NULL
);

-- V6's months_total, for a row of any year: the months of the range outside the row's year count none (a window's
-- months of the year before are in running_before, possibly none of them).
CREATE OR REPLACE FUNCTION proactivecare.months_total(
        running integer[], year integer, first_month integer, last_month integer)
    RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN least(last_month, year * 12 + 11) < greatest(first_month, year * 12) THEN 0
               ELSE running[least(last_month, year * 12 + 11) - year * 12 + 1]
                    - CASE WHEN first_month > year * 12 THEN running[first_month - year * 12] ELSE 0 END
           END
$$;

-- running_before[m]: attendances from 1 January of the year before to the end of its month m. The 13 months ending
-- with month e of the year are months e to 12 of the year before and 1 to e of the year.
CREATE FUNCTION proactivecare.peak_13_months(running_before integer[], running integer[])
    RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT running_before[12] + greatest(
        running[1],
        running[2] - running_before[1],
        running[3] - running_before[2],
        running[4] - running_before[3],
        running[5] - running_before[4],
        running[6] - running_before[5],
        running[7] - running_before[6],
        running[8] - running_before[7],
        running[9] - running_before[8],
        running[10] - running_before[9],
        running[11] - running_before[10],
        running[12] - running_before[11])
$$;

-- The yearly rows of the patients (every patient when null) from their rows by mode, which must be up to date; their
-- old yearly rows must be gone. PL/pgSQL, as tally_attendances: its statement is planned for the patients given, so
-- a few patients are read through the index (as a SQL function it read every row by mode, about 2 s at 1.1M).
CREATE FUNCTION proactivecare.tally_years(patients text[]) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO proactivecare.attendance_year
        (patient, category, year, attendances, running, running_before, peak_13_months)
    WITH yearly AS (
        SELECT t.patient, t.category, t.year,
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
                   sum(t.running[12])::integer] AS running
        FROM proactivecare.attendance_year_mode t
        WHERE patients IS NULL OR t.patient = ANY (patients)
        GROUP BY 1, 2, 3
    )
    SELECT x.patient, x.category, x.year, x.running[12], x.running, x.running_before,
           proactivecare.peak_13_months(x.running_before, x.running)
    FROM (
        SELECT coalesce(this.patient, before.patient) AS patient,
               coalesce(this.category, before.category) AS category,
               coalesce(this.year, before.next_year) AS year,
               coalesce(this.running, array_fill(0, ARRAY[12])) AS running,
               coalesce(before.running, array_fill(0, ARRAY[12])) AS running_before
        FROM yearly this
        FULL JOIN (SELECT patient, category, year + 1 AS next_year, running FROM yearly) before
               ON before.patient = this.patient AND before.category = this.category AND before.next_year = this.year
    ) x
    ORDER BY 1, 2, 3; -- a patient's tallies together on disk
END
$$;

-- V6's, with the yearly rows from tally_years
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
    PERFORM proactivecare.tally_years(patients);
END
$$;

-- the yearly rows of the tallies already kept by mode: nothing is recounted from the encounters
SELECT proactivecare.tally_years(NULL);

ALTER TABLE proactivecare.attendance_year ADD PRIMARY KEY (patient, category, year) INCLUDE (running);
CREATE INDEX attendance_year_peak
    ON proactivecare.attendance_year (category, year, peak_13_months)
    INCLUDE (patient, attendances, running, running_before);
ANALYZE proactivecare.attendance_year;
