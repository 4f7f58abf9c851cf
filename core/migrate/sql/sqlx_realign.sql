-- Repair: the row $1 takes the checksum $2 of its file. <table>: the sqlx history.
UPDATE ${table} SET checksum = $2 WHERE version = $1::bigint
