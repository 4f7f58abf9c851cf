-- Tables that may be a migration history (their name says "migration" or "schema_history"),
-- with their columns and types in order: history detection classifies them by their columns.
SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
   AND (c.relname LIKE '%migration%' OR c.relname LIKE '%schema_history%')
 ORDER BY n.nspname, c.relname, a.attnum
