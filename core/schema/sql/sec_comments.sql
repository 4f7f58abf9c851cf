-- Every comment of this database (objsubid: a column's attnum).
SELECT d.classoid::int8 AS classid, d.objoid::int8 AS oid, d.objsubid::int8 AS subid, d.description::text AS comment
FROM pg_catalog.pg_description d
WHERE d.objoid >= 16384 OR d.classoid = 'pg_catalog.pg_namespace'::regclass
