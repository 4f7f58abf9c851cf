-- Column grants (a column has no defaults: NULL is none).
SELECT a.attrelid::int8 AS relid, a.attnum::int8 AS attnum, pg_catalog.array_to_json(a.attacl::text[])::text AS acl
FROM pg_catalog.pg_attribute a
WHERE a.attrelid >= 16384 AND a.attnum > 0 AND a.attacl IS NOT NULL AND NOT a.attisdropped
