-- The sqlx history in version order. <table>: the history, schema-qualified and quoted.
SELECT version, description, to_char(installed_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), success, checksum,
       execution_time
  FROM ${table} ORDER BY version
