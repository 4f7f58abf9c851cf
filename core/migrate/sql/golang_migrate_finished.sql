-- The running migration finished. <table>: the golang-migrate history.
UPDATE ${table} SET dirty = false
