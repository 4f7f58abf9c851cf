-- A migration applied in one transaction with its history row; its duration is the time since the
-- transaction began. <table>: the history.
INSERT INTO ${table} (version, description, type, script, checksum, applied_sql, os_user, client_host, execution_ms,
                      success, statements_done, statements_total, out_of_order, dbops_version, approval_id, backup_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint, true, $9, $9, $10,
        $11, $12, $13)
