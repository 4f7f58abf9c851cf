-- A REPAIR row: what a repair changed ($1). <table>: the history.
INSERT INTO ${table} (description, type, script, os_user, client_host, success, dbops_version)
VALUES ($1, 'REPAIR', '<< Repair >>', $2, $3, true, $4)
