-- The row of one file goes (down): $1 is its key. <table>: the plain history; <key>: its key column.
DELETE FROM ${table} WHERE ${key} = $1
