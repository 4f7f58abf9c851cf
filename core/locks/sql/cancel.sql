-- Cancels the backend's current query. No row: the pid is not a backend (any more). $1 int: the pid.
SELECT pg_cancel_backend(a.pid) AS sent
  FROM pg_stat_activity a
 WHERE a.pid = $1::int
