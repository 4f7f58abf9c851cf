-- Extended statistics: the CREATE STATISTICS the server prints and the statistics target
-- (empty when it is the default, -1).
SELECT s.oid::int8 AS oid, n.nspname AS schema, s.stxname AS name,
       pg_catalog.pg_get_statisticsobjdef(s.oid) AS definition,
       CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget::text ELSE '' END AS target
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_statistic_ext'::regclass AND d.objid = s.oid AND d.deptype = 'e')
ORDER BY n.nspname, s.stxname
