-- The applied SQL of the rows whose installed_rank is in $1 (a bigint[]). <table>: the history.
SELECT installed_rank, applied_sql FROM ${table} WHERE installed_rank = ANY($1::bigint[])
