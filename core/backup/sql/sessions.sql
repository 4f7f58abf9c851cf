-- Other sessions connected to a database ($1), which a replace must not pull the rug from under.
SELECT pid, coalesce(usename, '') AS usename, coalesce(application_name, '') AS application_name,
       coalesce(client_addr::text, 'local') AS client_addr, coalesce(state, '') AS state,
       to_char(backend_start, 'YYYY-MM-DD HH24:MI:SS') AS backend_start
FROM pg_stat_activity
WHERE datname = $1 AND pid <> pg_backend_pid()
  -- only client sessions: autovacuum and other background workers end themselves when the
  -- database is dropped or renamed, and are no one's session to refuse over or to end
  AND backend_type = 'client backend'
ORDER BY backend_start
