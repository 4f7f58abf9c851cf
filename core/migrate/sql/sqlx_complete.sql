-- Repair: the interrupted migration $1 had all its effects. <table>: the sqlx history.
UPDATE ${table} SET success = true WHERE version = $1::bigint
