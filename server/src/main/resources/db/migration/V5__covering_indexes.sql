-- Cohort figures read a few rows per candidate patient (tallies, medications, conditions), for tens of thousands of
-- candidates. With every column those reads need in the index, PostgreSQL answers them from the index alone, without
-- a visit to each table page: at 1.1M patients this took a 42,578-member cohort's figures from 6.0 s to 4.3 s.
--
-- The indexes on medications and conditions are widened in place; the tallies get one more index, by patient and
-- month, because their primary key puts the category before the month.
CREATE INDEX attendance_month_patient_month
    ON proactivecare.attendance_month (patient, month) INCLUDE (category, mode, attendances);

DROP INDEX proactivecare.medication_statement_patient;
CREATE INDEX medication_statement_patient ON proactivecare.medication_statement (patient, effective_start)
    INCLUDE (effective_end, status, medication_system, medication_code, medication);

DROP INDEX proactivecare.medication_request_patient;
CREATE INDEX medication_request_patient ON proactivecare.medication_request (patient, authored_on)
    INCLUDE (validity_start, validity_end, status, medication_system, medication_code, medication);

DROP INDEX proactivecare.condition_patient;
CREATE INDEX condition_patient ON proactivecare.condition (patient)
    INCLUDE (id, clinical_status, verification_status, onset, abatement, system, code);
