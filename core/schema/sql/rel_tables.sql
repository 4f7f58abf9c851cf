-- Tables (plain and partitioned) of the wanted schemas, one row each: persistence, partitioning,
-- inheritance, reloptions, replica identity, row level security, estimated rows. Extension members
-- and system schemas are left out. The size on disk is not read here (it stats every file of every
-- table): rel_sizes.sql reads it for the tables a plan changes.
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
       c.relpersistence::text AS persistence,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
       CASE WHEN c.relispartition THEN
           (SELECT pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pc.relname)
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
            JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE i.inhrelid = c.oid) END AS partition_of,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN NOT c.relispartition THEN
           (SELECT pg_catalog.json_agg(pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pc.relname) ORDER BY i.inhseqno)::text
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
            JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE i.inhrelid = c.oid) END AS inherits,
       (SELECT pg_catalog.json_agg(o ORDER BY o)::text FROM pg_catalog.unnest(c.reloptions) o) AS reloptions,
       pg_catalog.array_to_json(c.reloptions)::text AS reloptions_order,
       c.relreplident::text AS replica_identity,
       (SELECT ic.relname FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
        WHERE x.indrelid = c.oid AND x.indisreplident AND c.relreplident = 'i') AS replica_identity_index,
       c.relrowsecurity::text AS rls, c.relforcerowsecurity::text AS rls_forced,
       (CASE WHEN c.reltuples < 0 THEN 0 ELSE c.reltuples END)::int8 AS rows,
       c.reltype::int8 AS reltype, t.typarray::int8 AS typarray, c.reltoastrelid::int8 AS toast
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_type t ON t.oid = c.reltype
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
