-- The migration $1 finished after $2 nanoseconds. <table>: the sqlx history.
UPDATE ${table} SET success = true, execution_time = $2::bigint WHERE version = $1::bigint
