-- Constraints of tables (p, u, c, f, x) as the server prints them. A child's inherited copy
-- (conislocal false) is left out; the index a p/u/x constraint owns is named, not an object.
SELECT co.oid::int8 AS oid, co.conrelid::int8 AS relid, n.nspname AS schema, c.relname AS "table", co.conname AS name,
       co.contype::text AS type, pg_catalog.pg_get_constraintdef(co.oid) AS definition,
       co.convalidated::text AS validated, co.condeferrable::text AS deferrable, co.condeferred::text AS deferred,
       CASE WHEN co.contype IN ('p', 'u', 'x') THEN co.conindid::int8 END AS indexoid,
       CASE WHEN co.contype IN ('p', 'u', 'x') THEN ic.relname END AS index,
       CASE WHEN co.contype = 'f' THEN fn.nspname END AS ref_schema,
       CASE WHEN co.contype = 'f' THEN fc.relname END AS ref_table
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class ic ON ic.oid = co.conindid
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE c.relkind IN ('r', 'p') AND co.contype IN ('p', 'u', 'c', 'f', 'x') AND co.conislocal
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY 1
