-- The exact number of rows of one table (restore verification compares it with the source).
-- <table>: the schema-qualified table, quoted.
SELECT count(*) FROM ${table}
