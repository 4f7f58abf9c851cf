-- Extensions with their schema and version.
SELECT e.oid::int8 AS oid, e.extname::text AS name, n.nspname::text AS schema, e.extversion::text AS version
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
ORDER BY e.extname
