-- Composite types made with CREATE TYPE ... AS (relkind 'c', never a table's row type), with
-- their attributes in order (collation only when not the attribute type's default).
SELECT t.oid::int8 AS oid, t.typarray::int8 AS array_oid, t.typrelid::int8 AS relid, n.nspname::text AS schema,
       t.typname::text AS name,
       (SELECT json_agg(json_build_object(
                   'name', a.attname::text,
                   'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                   'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                                     THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                                     ELSE '' END) ORDER BY a.attnum)
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
        WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)::text AS attributes
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
WHERE t.typtype = 'c' AND r.relkind = 'c'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 4, 5
