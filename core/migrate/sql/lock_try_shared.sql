-- Tries the migration lock (session advisory lock $1) in shared mode without waiting.
SELECT pg_try_advisory_lock_shared($1::bigint)
