-- The project's own schema. Analytic projection tables (issue 4) are added by later migrations.
-- Flyway creates the schema itself; this first migration records the project's schema version.
COMMENT ON SCHEMA proactivecare IS 'Proactive Care FHIR Server: projection and analytics tables (never HAPI hfj_* tables)';
