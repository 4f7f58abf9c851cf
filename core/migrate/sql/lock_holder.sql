-- Who holds the migration lock: the session holding the advisory lock $1 (bigint key, as
-- pg_advisory_lock splits it: classid = high 32 bits, objid = low 32 bits, objsubid = 1) in this
-- database; an exclusive holder before a shared one.
SELECT a.pid, a.application_name, a.usename,
       COALESCE(host(a.client_addr), 'local socket') AS client,
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since,
       COALESCE(a.state, '') AS state, left(COALESCE(a.query, ''), 200) AS query
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND l.classid::bigint = (($1::bigint >> 32) & 4294967295)
   AND l.objid::bigint = ($1::bigint & 4294967295)
   AND l.objsubid = 1
 ORDER BY (l.mode = 'ExclusiveLock') DESC
 LIMIT 1
