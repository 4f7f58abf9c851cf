-- The migration $1 finished (its latest row) after $2 ms. <table>: the history.
UPDATE ${table} SET success = true, statements_done = statements_total, execution_ms = $2
 WHERE installed_rank = (SELECT max(installed_rank) FROM ${table} WHERE version = $1 AND type = 'SQL')
