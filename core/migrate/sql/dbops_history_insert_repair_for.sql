-- A REPAIR row about the version $1: what was done by hand and why ($2). <table>: the history.
INSERT INTO ${table} (version, description, type, script, os_user, client_host, success, dbops_version)
VALUES ($1, $2, 'REPAIR', '<< Repair >>', $3, $4, true, $5)
