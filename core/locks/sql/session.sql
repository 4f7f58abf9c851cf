-- One session by pid, for the confirmation before cancel/terminate. $1 int: the pid.
SELECT a.pid, a.datname, a.usename, a.application_name, a.state, a.backend_type,
       COALESCE(a.query, '') AS query
  FROM pg_stat_activity a
 WHERE a.pid = $1::int
