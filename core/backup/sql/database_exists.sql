-- Whether the database $1 exists on the server.
SELECT 1 FROM pg_database WHERE datname = $1
