-- The node-pg-migrate history in run order. <table>: the history, schema-qualified and quoted.
SELECT name, to_char(run_on, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM ${table} ORDER BY run_on, id
