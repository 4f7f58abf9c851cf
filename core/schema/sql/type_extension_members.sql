-- What each extension owns (pg_depend deptype 'e'), and the array types of the types it owns:
-- not objects of their own, but a dependency on one of them is a dependency on the extension
-- (a column of type citext needs the extension citext).
SELECT d.classid::int8 AS classid, d.objid::int8 AS objid, d.objsubid::int8 AS objsubid, e.extname::text AS extension
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'
UNION ALL
SELECT 1247, t.typarray::int8, 0, e.extname::text
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
JOIN pg_catalog.pg_type t ON t.oid = d.objid
WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'
  AND d.classid = 'pg_catalog.pg_type'::regclass AND t.typarray <> 0
