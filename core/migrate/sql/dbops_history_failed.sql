-- The migration $1 failed (its latest row) after $2 statements, with the error $3. <table>: the history.
UPDATE ${table} SET success = false, statements_done = $2, error = $3
 WHERE installed_rank = (SELECT max(installed_rank) FROM ${table} WHERE version = $1 AND type = 'SQL')
