-- The version $1 golang-migrate is at, dirty ($2) while a migration runs. <table>: the history.
INSERT INTO ${table} (version, dirty) VALUES ($1::bigint, $2)
