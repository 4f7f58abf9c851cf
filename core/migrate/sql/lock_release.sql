-- Releases the migration lock (session advisory lock $1); false when it was not held.
SELECT pg_advisory_unlock($1::bigint)
