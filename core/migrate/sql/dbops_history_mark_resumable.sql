-- Repair: the interrupted row $1 resumes after its last statement done. <table>: the history.
UPDATE ${table} SET resume_from = statements_done WHERE installed_rank = $1
