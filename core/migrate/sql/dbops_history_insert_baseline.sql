-- A baseline at version $1. <table>: the history.
INSERT INTO ${table} (version, description, type, script, os_user, client_host, success, dbops_version)
VALUES ($1, $2, 'BASELINE', '<< Baseline >>', $3, $4, true, $5)
