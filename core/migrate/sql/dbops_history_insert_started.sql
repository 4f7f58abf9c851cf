-- A migration run statement by statement (no transaction): its row, written before it starts.
-- <table>: the history.
INSERT INTO ${table} (version, description, type, script, checksum, applied_sql, os_user, client_host, success,
                      statements_done, statements_total, out_of_order, dbops_version, approval_id, backup_id)
VALUES ($1, $2, 'SQL', $3, $4, $5, $6, $7, false, 0, $8, $9, $10, $11, $12)
