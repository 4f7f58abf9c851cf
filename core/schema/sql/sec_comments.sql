-- Every comment of this database (objsubid: a column's attnum). A comment on a part that is no
-- object of its own (a domain's constraint, a composite type's attribute) carries the part's name.
SELECT d.classoid::int8 AS classid, d.objoid::int8 AS oid, d.objsubid::int8 AS subid, d.description::text AS comment,
       CASE WHEN d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
            THEN (SELECT c.conname::text FROM pg_catalog.pg_constraint c WHERE c.oid = d.objoid AND c.contypid <> 0)
            WHEN d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid > 0
            THEN (SELECT a.attname::text FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class r ON r.oid = a.attrelid
                  WHERE a.attrelid = d.objoid AND a.attnum = d.objsubid AND r.relkind = 'c') END AS part
FROM pg_catalog.pg_description d
WHERE d.objoid >= 16384 OR d.classoid = 'pg_catalog.pg_namespace'::regclass
