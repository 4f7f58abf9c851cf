-- golang-migrate keeps one row: the old one goes before the new is written. <table>: the history.
DELETE FROM ${table}
