-- Columns of the tables read by rel_tables (dropped columns never; a column that comes only from
-- a parent, attislocal false, is flagged so the reader leaves it out). Identity columns carry
-- their sequence's options; the sequence itself is not an object.
SELECT a.attrelid::int8 AS relid, a.attnum::int8 AS attnum, n.nspname AS schema, c.relname AS "table", a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull::text AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
       a.attidentity::text AS identity,
       CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS collation,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       t.typstorage::text AS type_storage,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::text END AS statistics,
       (a.attislocal AND NOT c.relispartition)::text AS islocal,
       seq.seqrelid::int8 AS identity_seq,
       CASE WHEN seq.seqrelid IS NOT NULL THEN
           'START ' || seq.seqstart || ' INCREMENT ' || seq.seqincrement || ' MIN ' || seq.seqmin || ' MAX ' || seq.seqmax
           || ' CACHE ' || seq.seqcache || CASE WHEN seq.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END END AS identity_options
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN LATERAL (
    SELECT s.* FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid
    WHERE a.attidentity <> '' AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = a.attrelid
      AND d.refobjsubid = a.attnum AND d.deptype = 'i'
    LIMIT 1) seq ON true
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY 1, 2
