-- Monthly tallies of each patient's attendances, so that a cohort over an ICS adds up a dozen numbers per patient
-- instead of counting and de-duplicating every encounter in the window.
--
-- A tally counts the encounters of a patient, category and GP appointment mode that start in a Europe/London calendar
-- month and pass checked_encounters' duplicate and outside-life checks. It does not apply the in-future check, which
-- changes with the clock: readers use tallies only for months that are over, and count the rest from the encounters.
--
-- Triggers keep the tallies right whatever writes the projection (the projection interceptor, $rebuild-views, a bulk
-- COPY): a statement that changes the encounters or the life dates of a few patients marks them pending, and each is
-- tallied again once, when the transaction commits; a statement that changes many patients tallies them at once.
CREATE TABLE proactivecare.attendance_month (
    patient     text COLLATE "C" NOT NULL,
    category    text COLLATE "C" NOT NULL,
    month       date NOT NULL,
    mode        text COLLATE "C" NOT NULL,
    attendances integer NOT NULL,
    PRIMARY KEY (patient, category, month, mode)
);
-- cohort candidates: every patient's tallies of one category over a window, answered from the index alone
CREATE INDEX attendance_month_category ON proactivecare.attendance_month (category, month) INCLUDE (patient, attendances);

-- the same by calendar year, all modes together: a cohort over a window first looks only at the patients whose years
-- could hold enough attendances
CREATE TABLE proactivecare.attendance_year (
    patient     text COLLATE "C" NOT NULL,
    category    text COLLATE "C" NOT NULL,
    year        integer NOT NULL,
    attendances integer NOT NULL,
    PRIMARY KEY (patient, category, year)
);
CREATE INDEX attendance_year_category ON proactivecare.attendance_year (category, year, attendances) INCLUDE (patient);

CREATE TABLE proactivecare.attendance_tally_pending (
    patient text COLLATE "C" PRIMARY KEY
);

-- Counts the tallies of some patients (all when patients is null) again from their encounters. In PL/pgSQL so that
-- each branch is planned for what it is: an index lookup for a few patients, a scan for all of them.
CREATE FUNCTION proactivecare.tally_attendances(patients text[]) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    IF patients IS NULL THEN
        DELETE FROM proactivecare.attendance_month;
        DELETE FROM proactivecare.attendance_year;
    ELSE
        DELETE FROM proactivecare.attendance_month WHERE patient = ANY (patients);
        DELETE FROM proactivecare.attendance_year WHERE patient = ANY (patients);
    END IF;
    INSERT INTO proactivecare.attendance_month (patient, category, month, mode, attendances)
    SELECT c.patient,
           c.category,
           date_trunc('month', c.period_start AT TIME ZONE 'Europe/London')::date,
           coalesce(c.mode, 'unknown'),
           count(*)
    FROM proactivecare.checked_encounters(patients, NULL, '-infinity', 'infinity') c
    WHERE c.patient IS NOT NULL AND NOT (c.duplicate OR c.outside_life)
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4; -- a patient's tallies together on disk
    IF patients IS NULL THEN
        INSERT INTO proactivecare.attendance_year (patient, category, year, attendances)
        SELECT patient, category, extract(year FROM month)::integer, sum(attendances)
        FROM proactivecare.attendance_month
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3;
    ELSE
        INSERT INTO proactivecare.attendance_year (patient, category, year, attendances)
        SELECT patient, category, extract(year FROM month)::integer, sum(attendances)
        FROM proactivecare.attendance_month
        WHERE patient = ANY (patients)
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3;
    END IF;
END
$$;

-- Above this many patients in one statement, tallying them there and then beats one tally per patient at commit.
CREATE FUNCTION proactivecare.tally_changed(patients text[]) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    IF cardinality(patients) > 500 THEN
        PERFORM proactivecare.tally_attendances(patients);
    ELSE
        INSERT INTO proactivecare.attendance_tally_pending (patient)
        SELECT DISTINCT p FROM unnest(patients) AS p
        ORDER BY p
        ON CONFLICT DO NOTHING;
    END IF;
END
$$;

CREATE FUNCTION proactivecare.tally_pending_patient() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM proactivecare.tally_attendances(ARRAY[NEW.patient]);
    DELETE FROM proactivecare.attendance_tally_pending WHERE patient = NEW.patient;
    RETURN NULL;
END
$$;

-- fires once per pending patient, at commit
CREATE CONSTRAINT TRIGGER attendance_tally_pending_at_commit
    AFTER INSERT ON proactivecare.attendance_tally_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION proactivecare.tally_pending_patient();

CREATE FUNCTION proactivecare.encounters_changed() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM proactivecare.tally_changed(
            ARRAY(SELECT DISTINCT patient FROM new_rows WHERE patient IS NOT NULL));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM proactivecare.tally_changed(
            ARRAY(SELECT DISTINCT patient FROM old_rows WHERE patient IS NOT NULL));
    ELSE
        PERFORM proactivecare.tally_changed(ARRAY(
            SELECT patient FROM new_rows WHERE patient IS NOT NULL
            UNION
            SELECT patient FROM old_rows WHERE patient IS NOT NULL));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER encounter_tallies_insert AFTER INSERT ON proactivecare.encounter
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.encounters_changed();
CREATE TRIGGER encounter_tallies_update AFTER UPDATE ON proactivecare.encounter
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.encounters_changed();
CREATE TRIGGER encounter_tallies_delete AFTER DELETE ON proactivecare.encounter
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.encounters_changed();

-- A patient's birth and death dates decide which encounters are outside their life.
CREATE FUNCTION proactivecare.patients_changed() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM proactivecare.tally_changed(ARRAY(
            SELECT n.id FROM new_rows n
            WHERE EXISTS (SELECT 1 FROM proactivecare.encounter e WHERE e.patient = n.id)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM proactivecare.tally_changed(ARRAY(
            SELECT o.id FROM old_rows o
            WHERE EXISTS (SELECT 1 FROM proactivecare.encounter e WHERE e.patient = o.id)));
    ELSE
        PERFORM proactivecare.tally_changed(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.birth_date IS DISTINCT FROM o.birth_date OR n.deceased_date IS DISTINCT FROM o.deceased_date)
            UNION
            SELECT n.id FROM new_rows n WHERE n.id NOT IN (SELECT id FROM old_rows)
            UNION
            SELECT o.id FROM old_rows o WHERE o.id NOT IN (SELECT id FROM new_rows)));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER patient_tallies_insert AFTER INSERT ON proactivecare.patient
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.patients_changed();
CREATE TRIGGER patient_tallies_update AFTER UPDATE ON proactivecare.patient
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.patients_changed();
CREATE TRIGGER patient_tallies_delete AFTER DELETE ON proactivecare.patient
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.patients_changed();

CREATE FUNCTION proactivecare.encounters_truncated() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    TRUNCATE proactivecare.attendance_month, proactivecare.attendance_year, proactivecare.attendance_tally_pending;
    RETURN NULL;
END
$$;

CREATE FUNCTION proactivecare.patients_truncated() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM proactivecare.tally_attendances(NULL);
    RETURN NULL;
END
$$;

CREATE TRIGGER encounter_tallies_truncate AFTER TRUNCATE ON proactivecare.encounter
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.encounters_truncated();
CREATE TRIGGER patient_tallies_truncate AFTER TRUNCATE ON proactivecare.patient
    FOR EACH STATEMENT EXECUTE FUNCTION proactivecare.patients_truncated();

-- the encounters already projected
SELECT proactivecare.tally_attendances(NULL);
