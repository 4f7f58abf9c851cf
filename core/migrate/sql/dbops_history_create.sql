CREATE TABLE IF NOT EXISTS ${table} (
    installed_rank   bigserial PRIMARY KEY,
    version          text,
    description      text NOT NULL,
    type             text NOT NULL CHECK (type IN ('SQL', 'REPEATABLE', 'BASELINE', 'UNDO', 'REPAIR', 'DELETE')),
    script           text NOT NULL,
    checksum         bytea,
    applied_sql      text,
    installed_by     text NOT NULL DEFAULT current_user,
    os_user          text,
    client_host      text,
    installed_on     timestamptz NOT NULL DEFAULT clock_timestamp(),
    execution_ms     bigint NOT NULL DEFAULT 0,
    success          boolean NOT NULL,
    statements_done  integer,
    statements_total integer,
    resume_from      integer,
    out_of_order     boolean NOT NULL DEFAULT false,
    dbops_version    text NOT NULL,
    approval_id      text,
    backup_id        text,
    error            text
)
-- The dbops history. <table>: schema-qualified and quoted.
