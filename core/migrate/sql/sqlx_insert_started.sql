-- As sqlx does for a no-transaction migration: a success = false row first, updated at the end.
-- <table>: the history.
INSERT INTO ${table} (version, description, success, checksum, execution_time) VALUES ($1::bigint, $2, false, $3, -1)
