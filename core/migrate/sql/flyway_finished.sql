-- The migration $1 finished (its latest row) after $2 ms. <table>: the Flyway history.
UPDATE ${table} SET success = true, execution_time = $2::int
 WHERE installed_rank = (SELECT max(installed_rank) FROM ${table} WHERE version = $1)
