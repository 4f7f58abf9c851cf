-- A migration marked applied by hand: no applied SQL, no duration; dbops_version says "marked by
-- hand" and a REPAIR row beside it says by whom and why. <table>: the history.
INSERT INTO ${table} (version, description, type, script, checksum, applied_sql, os_user, client_host, execution_ms,
                      success, statements_total, out_of_order, dbops_version, approval_id, backup_id)
VALUES ($1, $2, 'SQL', $3, $4, NULL, $5, $6, 0, true, $7, $8, $9, $10, $11)
