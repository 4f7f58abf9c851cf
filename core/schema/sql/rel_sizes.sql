-- The size on disk (table, indexes and TOAST) of the tables named in $1, a JSON array of
-- [schema, name] pairs: the tables a plan changes, for its hazard lines.
SELECT n.nspname AS schema, c.relname AS name, pg_catalog.pg_total_relation_size(c.oid)::int8 AS bytes
FROM pg_catalog.json_array_elements($1::pg_catalog.json) AS t(pair)
JOIN pg_catalog.pg_namespace n ON n.nspname = t.pair ->> 0
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.pair ->> 1
WHERE c.relkind IN ('r', 'p', 'm')
