-- Indexes of tables and materialized views, as pg_get_indexdef prints them. An index a
-- constraint owns is the constraint's; a partition's index attached to its parent's index comes
-- with the parent's.
SELECT i.indexrelid::int8 AS oid, n.nspname AS schema, c.relname AS "table", ic.relname AS name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       i.indisprimary::text AS "primary", i.indisunique::text AS "unique", c.relkind::text AS relkind,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
               AND co.contype IN ('p', 'u', 'x'))::text AS owned,
       EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)::text AS attached
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = i.indexrelid AND d.deptype = 'e')
ORDER BY 1
