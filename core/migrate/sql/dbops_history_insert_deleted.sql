-- Repair: the file of an applied migration is gone; a DELETE row records it. <table>: the history.
INSERT INTO ${table} (version, description, type, script, os_user, client_host, success, dbops_version)
VALUES ($1, $2, 'DELETE', $3, $4, $5, true, $6)
