-- Repair: the interrupted row $1 had all its effects: complete it. <table>: the history.
UPDATE ${table} SET success = true, statements_done = statements_total WHERE installed_rank = $1
