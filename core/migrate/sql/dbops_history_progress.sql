-- Statements done so far ($2) of the migration $1 (its latest row). <table>: the history.
UPDATE ${table} SET statements_done = $2
 WHERE installed_rank = (SELECT max(installed_rank) FROM ${table} WHERE version = $1 AND type = 'SQL')
