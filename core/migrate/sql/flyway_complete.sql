-- Repair: the interrupted row $1 had all its effects. <table>: the Flyway history.
UPDATE ${table} SET success = true WHERE installed_rank = $1
