-- The row $1 no longer counts as applied: the next migrate runs the file again. <table>: the history.
UPDATE ${table} SET success = false, resume_from = 0, error = $2 WHERE installed_rank = $1
