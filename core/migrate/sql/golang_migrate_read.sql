-- The version golang-migrate is at, and whether it is dirty. <table>: the history.
SELECT version, dirty FROM ${table} LIMIT 1
