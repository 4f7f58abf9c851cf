-- Domains: base type with its typmod, default, NOT NULL, collation (only when not the base
-- type's), and their checks (name, definition) sorted by name.
SELECT t.oid::int8 AS oid, t.typarray::int8 AS array_oid, n.nspname::text AS schema, t.typname::text AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS type,
       coalesce(pg_catalog.pg_get_expr(t.typdefaultbin, 0), t.typdefault, '') AS "default",
       t.typnotnull::text AS not_null,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) ELSE '' END AS collation,
       (SELECT json_agg(json_build_object('name', c.conname::text, 'definition', pg_catalog.pg_get_constraintdef(c.oid))
                        ORDER BY c.conname)
        FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c')::text AS checks,
       (SELECT json_agg(c.oid::int8) FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid)::text AS constraint_oids
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 3, 4
