-- The tables whose data pg_dump writes, with their size on disk (heap + TOAST): the total that
-- backup progress advances against as pg_dump --verbose names each table.
SELECT n.nspname AS schema, c.relname AS name, pg_table_size(c.oid) AS bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY 1, 2
