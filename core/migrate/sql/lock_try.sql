-- Tries the migration lock (session advisory lock $1) without waiting.
SELECT pg_try_advisory_lock($1::bigint)
