-- Tables of the analytic projection: one per ViewDefinition in mappings/views/, with the view's columns under the
-- same names (the server checks this at start-up). Rows are written in the same database transaction as the resource
-- they come from, keyed by the resource's id (column id), and rebuilt from the stored resources by $rebuild-views.
-- Dates: FHIR dates and dateTimes are stored at their earliest instant (a partial date such as 1950 is 1950-01-01).

CREATE TABLE proactivecare.patient (
    id                  text PRIMARY KEY,
    nhs_number          text,
    gender              text,
    birth_date          date,
    deceased_date       timestamptz,
    registered_practice text
);
CREATE INDEX patient_registered_practice ON proactivecare.patient (registered_practice);
CREATE INDEX patient_nhs_number ON proactivecare.patient (nhs_number);

CREATE TABLE proactivecare.practice (
    id       text PRIMARY KEY,
    ods_code text,
    name     text,
    active   boolean,
    part_of  text
);
CREATE INDEX practice_part_of ON proactivecare.practice (part_of);
CREATE INDEX practice_ods_code ON proactivecare.practice (ods_code);

-- category and mode are not view columns: the projection classifies each Encounter by the mappings' ConceptMaps.
CREATE TABLE proactivecare.encounter (
    id           text PRIMARY KEY,
    patient      text,
    practice     text,
    period_start timestamptz,
    period_end   timestamptz,
    status       text,
    class_code   text,
    category     text NOT NULL,
    mode         text
);
-- cohort counts: a patient's encounters of a category in a window; reports: a practice's encounters by month
CREATE INDEX encounter_patient_category_start ON proactivecare.encounter (patient, category, period_start);
CREATE INDEX encounter_practice_start ON proactivecare.encounter (practice, period_start);
CREATE INDEX encounter_category_start ON proactivecare.encounter (category, period_start);

CREATE TABLE proactivecare.medication_statement (
    id                text PRIMARY KEY,
    patient           text,
    medication_system text,
    medication_code   text,
    medication        text,
    effective_start   timestamptz,
    effective_end     timestamptz,
    status            text
);
CREATE INDEX medication_statement_patient ON proactivecare.medication_statement (patient, effective_start);

CREATE TABLE proactivecare.medication_request (
    id                text PRIMARY KEY,
    patient           text,
    medication_system text,
    medication_code   text,
    medication        text,
    authored_on       timestamptz,
    validity_start    timestamptz,
    validity_end      timestamptz,
    status            text
);
CREATE INDEX medication_request_patient ON proactivecare.medication_request (patient, authored_on);

-- one row per coding of a Condition
CREATE TABLE proactivecare.condition (
    id                  text NOT NULL,
    patient             text,
    onset               timestamptz,
    abatement           timestamptz,
    clinical_status     text,
    verification_status text,
    system              text,
    code                text
);
CREATE INDEX condition_id ON proactivecare.condition (id);
CREATE INDEX condition_patient ON proactivecare.condition (patient);
CREATE INDEX condition_code ON proactivecare.condition (system, code);

CREATE TABLE proactivecare.care_plan (
    id            text PRIMARY KEY,
    patient       text,
    status        text,
    intent        text,
    period_start  timestamptz,
    period_end    timestamptz,
    author        text,
    category_code text
);
CREATE INDEX care_plan_patient ON proactivecare.care_plan (patient, status);
CREATE INDEX care_plan_author ON proactivecare.care_plan (author, status);

CREATE TABLE proactivecare.task (
    id          text PRIMARY KEY,
    patient     text,
    care_plan   text,
    code_system text,
    code        text,
    status      text,
    owner       text,
    due         timestamptz,
    authored_on timestamptz
);
CREATE INDEX task_care_plan ON proactivecare.task (care_plan);
CREATE INDEX task_owner ON proactivecare.task (owner, status);
