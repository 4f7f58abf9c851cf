-- A migration resumed part-way: its latest row ($1 = version) takes the file's current checksum and SQL.
-- <table>: the history.
UPDATE ${table} SET resume_from = NULL, error = NULL, checksum = $2, applied_sql = $3
 WHERE installed_rank = (SELECT max(installed_rank) FROM ${table} WHERE version = $1 AND type = 'SQL')
