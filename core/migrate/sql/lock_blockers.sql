-- Who blocks backend $1: the relation it waits for (when the lock is on one), the mode it wants,
-- and each session pg_blocking_pids names, with the modes it holds on that relation.
WITH waiting AS (
    SELECT l.relation, l.mode
    FROM pg_catalog.pg_locks l
    WHERE l.pid = $1 AND NOT l.granted
    LIMIT 1
)
SELECT (SELECT w.relation::regclass::text FROM waiting w) AS relation,
       (SELECT w.mode FROM waiting w) AS wanted,
       a.pid, a.usename, a.application_name, a.state, a.query,
       (SELECT string_agg(DISTINCT h.mode, ', ')
        FROM pg_catalog.pg_locks h, waiting w
        WHERE h.pid = a.pid AND h.granted AND h.relation = w.relation) AS held
FROM pg_catalog.pg_stat_activity a
WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1))
ORDER BY a.pid
