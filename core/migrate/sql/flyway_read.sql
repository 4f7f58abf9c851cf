-- The Flyway history in rank order. <table>: the history, schema-qualified and quoted.
SELECT installed_rank, version, description, type, script, checksum, installed_by,
       to_char(installed_on, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), execution_time, success
  FROM ${table} ORDER BY installed_rank
