-- A down migration applied in one transaction with its UNDO row. <table>: the history.
INSERT INTO ${table} (version, description, type, script, checksum, applied_sql, os_user, client_host, execution_ms,
                      success, statements_done, statements_total, dbops_version)
VALUES ($1, $2, 'UNDO', $3, $4, $5, $6, $7, (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint, true, $8, $8, $9)
