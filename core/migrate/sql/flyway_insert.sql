-- A Flyway row ranked after the last: version $1, description $2, type $3, script $4, checksum $5,
-- success $6; with $7 the execution time is the time since the transaction began, else 0.
-- <table>: the history.
INSERT INTO ${table} (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
VALUES ((SELECT COALESCE(max(installed_rank), 0) + 1 FROM ${table}), $1, $2, $3, $4, $5::int, current_user,
        CASE WHEN $7::boolean THEN (extract(epoch FROM clock_timestamp() - now()) * 1000)::int ELSE 0 END, $6)
