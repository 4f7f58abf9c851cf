-- Repair: the row $1 takes the checksum $2 of its file. <table>: the history.
UPDATE ${table} SET checksum = $2 WHERE installed_rank = $1
