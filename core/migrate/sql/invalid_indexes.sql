-- The invalid indexes (pg_index.indisvalid = false) among the named ones: an interrupted
-- CREATE INDEX CONCURRENTLY leaves one behind. $1: a JSON array of {"ord", "schema", "name"};
-- an empty schema resolves through the search path, as the migration's statement did.
SELECT x.ord, i.indexrelid::regclass::text AS index_name, i.indrelid::regclass::text AS table_name
FROM json_to_recordset($1::json) AS x(ord int, schema text, name text)
JOIN pg_catalog.pg_index i
  ON i.indexrelid = to_regclass(CASE WHEN coalesce(x.schema, '') = '' THEN quote_ident(x.name)
                                     ELSE quote_ident(x.schema) || '.' || quote_ident(x.name) END)
WHERE NOT i.indisvalid
ORDER BY x.ord
