-- Views (relkind v) and materialized views (relkind m): the definition as the server prints it
-- (search_path is '' so every name is qualified), the reloptions sorted, the columns in order
-- (names and, for CREATE OR REPLACE VIEW, their types), and the addresses of the parts the view
-- owns (its '_RETURN' rewrite rule and its row type). Objects an extension owns are left out.
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       coalesce((SELECT pg_catalog.json_agg(o ORDER BY o)::text FROM pg_catalog.unnest(c.reloptions) o), '') AS options,
       coalesce((SELECT pg_catalog.json_agg(a.attname ORDER BY a.attnum)::text FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS columns,
       coalesce((SELECT pg_catalog.json_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)::text
                 FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS column_types,
       c.relispopulated AS populated, c.reltype::int8 AS reltype,
       coalesce((SELECT t.typarray::int8 FROM pg_catalog.pg_type t WHERE t.oid = c.reltype), 0) AS arraytype,
       coalesce((SELECT r.oid::int8 FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'), 0) AS rule_oid
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
