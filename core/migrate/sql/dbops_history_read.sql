-- Every row of the dbops history, in order, without the applied SQL (fetched on demand).
-- <table>: the history, schema-qualified and quoted. A table made before adopt added `note`
-- is read with dbops_history_read_without_note.
SELECT installed_rank, version, description, type, script, checksum, NULL::text AS applied_sql, installed_by, os_user,
       client_host, to_char(installed_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), execution_ms, success,
       statements_done, statements_total, resume_from, out_of_order, dbops_version, approval_id, backup_id, error, note
  FROM ${table} ORDER BY installed_rank
