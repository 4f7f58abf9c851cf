-- The row of the migration $1 goes (down). <table>: the sqlx history.
DELETE FROM ${table} WHERE version = $1::bigint
