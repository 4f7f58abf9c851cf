-- This dbops process's own sessions ($2, its connections' backend pids) still connected to the
-- database $1: what a replace waits for after closing them (a closed backend lingers briefly).
SELECT a.pid, coalesce(a.usename, '') AS usename, coalesce(a.application_name, '') AS application_name,
       CASE WHEN a.backend_type IS NULL THEN 'a client hidden from this role'
            ELSE coalesce(a.client_addr::text, 'local') END AS client_addr, coalesce(a.state, '') AS state,
       to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') AS backend_start,
       -- whether the connected role may end it (pg_terminate_backend's own rule)
       coalesce(pg_has_role(current_user, a.usesysid, 'USAGE')
                OR (pg_has_role(current_user, 'pg_signal_backend', 'USAGE') AND NOT r.rolsuper), false) AS can_end
FROM pg_stat_activity a
LEFT JOIN pg_roles r ON r.oid = a.usesysid
WHERE a.datname = $1 AND a.pid <> pg_backend_pid() AND a.pid = ANY ($2::int[])
  AND (a.backend_type = 'client backend'
       -- another role's session this role may not see the details of (no pg_read_all_stats):
       -- its type is hidden too, and it may well be a client, so it counts
       OR (a.backend_type IS NULL AND a.usesysid IS NOT NULL))
ORDER BY a.backend_start
