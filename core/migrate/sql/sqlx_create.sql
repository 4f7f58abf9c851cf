CREATE TABLE IF NOT EXISTS ${table} (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL)
-- sqlx's own DDL (sqlx-postgres migrate.rs). <table>: the history, schema-qualified and quoted.
