-- Releases the shared migration lock (session advisory lock $1); false when it was not held.
SELECT pg_advisory_unlock_shared($1::bigint)
