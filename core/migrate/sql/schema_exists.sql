-- Whether the schema $1 exists (CREATE SCHEMA IF NOT EXISTS would need CREATE on the database
-- even when it does).
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)
