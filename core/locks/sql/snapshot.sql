-- The lock monitor's snapshot: sessions, their interesting locks and PostgreSQL's own blocking
-- edges, in one statement and one round trip. Works on PostgreSQL 12-16.
--
-- Version differences live here, not in C++: columns newer servers added are read through
-- to_jsonb(row), which yields NULL where the column does not exist:
--   pg_stat_activity.leader_pid  (13+; parallel workers' leader)
--   pg_locks.waitstart           (14+; when a lock wait began)
--
-- Bounded for busy servers: pg_locks is read once; lock rows are only detailed for sessions that
-- wait, block, or hold advisory locks: their most telling rows (at most 4 x $1 looked at),
-- aggregated per (pid, lock target, mode), at most $1 entries per session and $2 in all. Every
-- other row is only counted.
-- $1 int: entries per session   $2 int: entries in all
-- oids go out as bigint: json renders the oid type as a string.
WITH
l AS MATERIALIZED (
    SELECT pl.locktype, pl.database, pl.relation, pl.page, pl.tuple, pl.virtualxid,
           pl.transactionid::text AS transactionid, pl.classid, pl.objid, pl.objsubid,
           pl.pid, pl.mode, pl.granted,
           CASE WHEN NOT pl.granted THEN (to_jsonb(pl) ->> 'waitstart')::timestamptz END AS waitstart
      FROM pg_locks pl
     WHERE pl.pid IS NOT NULL AND pl.pid <> pg_backend_pid()
),
waiting AS MATERIALIZED (
    SELECT pid, min(waitstart) AS waitstart FROM l WHERE NOT granted GROUP BY pid
),
edges AS MATERIALIZED (
    SELECT w.pid AS waiter, b.blocker
      FROM waiting w, LATERAL unnest(pg_blocking_pids(w.pid)) AS b(blocker)
),
interesting AS (
    SELECT waiter AS pid FROM edges
    UNION SELECT blocker FROM edges
    UNION SELECT pid FROM waiting
    UNION SELECT DISTINCT pid FROM l WHERE locktype = 'advisory'
),
counts AS (
    SELECT pid, count(*) AS n FROM l GROUP BY pid
),
-- A bounded top-N of raw rows per interesting session (one pass and a heap, not an aggregate or a
-- sort of every row): a session holding 20,000 locks costs one scan. What matters most comes
-- first: waits, then advisory locks, then the strongest modes. Rows past the bound are folded.
pre AS (
    SELECT t.*
      FROM interesting i
      CROSS JOIN LATERAL (
            SELECT l.*,
                   l.granted::int * 100 + (l.locktype <> 'advisory')::int * 10
                     + CASE l.mode WHEN 'AccessExclusiveLock' THEN 1 WHEN 'ExclusiveLock' THEN 2
                                   WHEN 'ShareRowExclusiveLock' THEN 3 WHEN 'ShareLock' THEN 4
                                   WHEN 'ShareUpdateExclusiveLock' THEN 5 WHEN 'RowExclusiveLock' THEN 6
                                   WHEN 'RowShareLock' THEN 7 ELSE 8 END AS importance
              FROM l
             WHERE l.pid = i.pid
             ORDER BY importance
             LIMIT $1 * 4) t
),
agg AS (
    SELECT p.pid, p.locktype, p.database, p.relation, p.mode, p.granted,
           CASE WHEN p.locktype = 'virtualxid' THEN p.virtualxid END AS virtualxid,
           CASE WHEN p.locktype = 'transactionid' THEN p.transactionid END AS transactionid,
           CASE WHEN p.locktype IN ('advisory', 'object', 'userlock') THEN p.classid END AS classid,
           CASE WHEN p.locktype IN ('advisory', 'object', 'userlock') THEN p.objid END AS objid,
           CASE WHEN p.locktype IN ('advisory', 'object', 'userlock') THEN p.objsubid END AS objsubid,
           min(p.page) AS page, min(p.tuple) AS tuple, count(*) AS n, min(p.waitstart) AS waitstart,
           min(p.importance) AS importance
      FROM pre p
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
),
ranked AS (
    SELECT a.*, row_number() OVER (PARTITION BY a.pid ORDER BY a.importance, a.n DESC, a.relation) AS rn
      FROM agg a
),
kept AS (
    SELECT * FROM ranked WHERE rn <= $1 ORDER BY granted, pid, rn LIMIT $2
),
sessions AS (
    SELECT a.pid, a.datname, a.usename, a.application_name,
           COALESCE(host(a.client_addr), CASE WHEN a.client_port = -1 THEN 'local socket' END) AS client_addr,
           a.backend_type, a.state, a.wait_event_type, a.wait_event,
           (extract(epoch FROM a.backend_start) * 1000)::bigint AS backend_start,
           (extract(epoch FROM a.xact_start) * 1000)::bigint AS xact_start,
           (extract(epoch FROM a.query_start) * 1000)::bigint AS query_start,
           (extract(epoch FROM a.state_change) * 1000)::bigint AS state_change,
           (extract(epoch FROM COALESCE(w.waitstart,
                                        CASE WHEN w.pid IS NOT NULL THEN a.state_change END)) * 1000)::bigint AS wait_start,
           a.query, (to_jsonb(a) ->> 'leader_pid')::int AS leader_pid,
           COALESCE(c.n, 0) AS lock_count, w.pid IS NOT NULL AS waiting,
           (SELECT array_agg(e.blocker ORDER BY e.blocker) FROM edges e WHERE e.waiter = a.pid) AS blocked_by
      FROM pg_stat_activity a
      LEFT JOIN counts c ON c.pid = a.pid
      LEFT JOIN waiting w ON w.pid = a.pid
     WHERE a.pid <> pg_backend_pid()
)
SELECT (extract(epoch FROM now()) * 1000)::bigint AS captured_at,
       current_setting('server_version_num')::int AS server_version,
       current_database() AS current_db,
       (SELECT count(*) FROM l) AS lock_rows,
       (SELECT COALESCE(sum(n), 0) FROM kept) AS detailed_rows,
       (SELECT COALESCE(json_agg(s ORDER BY s.pid), '[]') FROM sessions s) AS sessions,
       (SELECT COALESCE(json_agg(json_build_object(
                   'pid', k.pid, 'locktype', k.locktype, 'database', d.datname, 'relation_oid', k.relation::bigint,
                   'relation', CASE WHEN d.datname = current_database() THEN
                                   (SELECT format('%I.%I', n.nspname, c.relname)
                                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                     WHERE c.oid = k.relation) END,
                   'mode', k.mode, 'granted', k.granted, 'page', k.page, 'tuple', k.tuple,
                   'virtualxid', k.virtualxid, 'transactionid', k.transactionid,
                   'classid', k.classid::bigint, 'objid', k.objid::bigint, 'objsubid', k.objsubid, 'count', k.n,
                   'wait_start', (extract(epoch FROM k.waitstart) * 1000)::bigint)), '[]')
          FROM kept k
          LEFT JOIN pg_database d ON d.oid = k.database) AS locks,
       (SELECT COALESCE(json_agg(json_build_array(e.waiter, e.blocker)), '[]') FROM edges e) AS edges
