-- Repair: removes the failed row $1. <table>: the sqlx history.
DELETE FROM ${table} WHERE version = $1::bigint AND NOT success
