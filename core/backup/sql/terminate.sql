-- Ends the other sessions of a database ($1) after the DBA agreed to it; never this dbops
-- process's own ($2, its connections' backend pids: the replace closes those itself).
SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS terminated
FROM pg_stat_activity
WHERE datname = $1 AND pid <> pg_backend_pid() AND pid <> ALL ($2::int[])
  -- only client sessions: autovacuum and other background workers end themselves when the
  -- database is dropped or renamed, and are no one's session to refuse over or to end
  AND (backend_type = 'client backend'
       -- another role's session this role may not see the details of (no pg_read_all_stats):
       -- its type is hidden too, and it may well be a client, so it counts
       OR (backend_type IS NULL AND usesysid IS NOT NULL))
