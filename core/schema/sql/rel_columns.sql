-- Columns of the tables read by rel_tables (dropped columns never; a column that comes only from
-- a parent, attislocal false, is flagged so the reader leaves it out). Identity columns carry
-- their sequence's options (set by the sequences' reader); the sequence itself is not an object.
-- The table's schema and name come from the table read before (one row per column: every column
-- left out of the result is time on the wire).
SELECT a.attrelid::int8 AS relid, a.attnum::int8 AS attnum, a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' AND ad.adbin IS NOT NULL THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
       NULLIF(a.attidentity, '')::text AS identity,
       CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                  FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                  WHERE co.oid = a.attcollation) END AS collation,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       t.typstorage::text AS type_storage,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::text END AS statistics,
       (a.attislocal AND NOT c.relispartition) AS islocal
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
