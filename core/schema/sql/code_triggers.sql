-- Triggers a user made (not internal ones such as FK triggers, not a partition's clone of its
-- parent's trigger), with their enabled state (O|D|R|A) and, for a constraint trigger, the
-- address of the pg_constraint row it owns.
SELECT t.oid::int8 AS oid, n.nspname AS schema, c.relname AS table_name, t.tgname AS name,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition, t.tgenabled::text AS enabled,
       t.tgconstraint::int8 AS constraint_oid
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, t.tgname
