-- Collations made by the database's users (not the system's, not an extension's). The locale
-- columns differ by version (colliculocale in 15-16, colllocale from 17): read through to_jsonb.
SELECT c.oid::int8 AS oid, n.nspname::text AS schema, c.collname::text AS name,
       c.collprovider::text AS provider,
       coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale', '') AS locale,
       coalesce(to_jsonb(c) ->> 'collcollate', '') AS lc_collate,
       coalesce(to_jsonb(c) ->> 'collctype', '') AS lc_ctype,
       coalesce(to_jsonb(c) ->> 'collisdeterministic', 'true') AS deterministic
FROM pg_catalog.pg_collation c
JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
WHERE c.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 2, 3
