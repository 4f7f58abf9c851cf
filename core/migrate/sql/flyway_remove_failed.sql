-- Repair: removes the failed row $1. <table>: the Flyway history.
DELETE FROM ${table} WHERE installed_rank = $1 AND NOT success
