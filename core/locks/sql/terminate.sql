-- Ends the backend's session. No row: the pid is not a backend (any more). $1 int: the pid.
SELECT pg_terminate_backend(a.pid) AS sent
  FROM pg_stat_activity a
 WHERE a.pid = $1::int
