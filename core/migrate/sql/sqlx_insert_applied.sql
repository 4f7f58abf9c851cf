-- A migration applied in one transaction with its sqlx row; execution_time in nanoseconds since the
-- transaction began, as sqlx writes it. <table>: the history.
INSERT INTO ${table} (version, description, success, checksum, execution_time)
VALUES ($1::bigint, $2, true, $3, (extract(epoch FROM clock_timestamp() - now()) * 1000000000)::bigint)
