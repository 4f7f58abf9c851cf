-- Row-level security policies: command (r|a|w|d|*), permissive, roles sorted ("public" for
-- PUBLIC), and the USING and WITH CHECK expressions as the server prints them.
SELECT p.oid::int8 AS oid, n.nspname AS schema, c.relname AS table_name, p.polname AS name,
       p.polcmd::text AS command, p.polpermissive AS permissive,
       coalesce((SELECT pg_catalog.json_agg(x.rolname ORDER BY x.rolname)::text
                 FROM (SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END AS rolname
                       FROM pg_catalog.unnest(p.polroles) r) x), '') AS roles,
       coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '') AS using_expr,
       coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '') AS check_expr
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, p.polname
