-- The application's own record of its backups and restores.
CREATE TABLE backup_metadata (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind        varchar(20) NOT NULL CHECK (kind IN ('full', 'schema', 'data')),
    location    text NOT NULL,
    size_bytes  bigint,
    sha256      char(64),
    verified    boolean NOT NULL DEFAULT false,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

CREATE TABLE backup_schedule (
    name        varchar(100) PRIMARY KEY,
    cron        varchar(100) NOT NULL,
    retention_days integer NOT NULL DEFAULT 30 CHECK (retention_days > 0)
);

CREATE TABLE restore_history (
    id          bigserial PRIMARY KEY,
    backup_id   uuid NOT NULL REFERENCES backup_metadata (id),
    restored_by varchar(120) NOT NULL,
    target      text NOT NULL,
    outcome     varchar(20) NOT NULL,
    restored_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO backup_schedule (name, cron, retention_days) VALUES ('nightly', '0 3 * * *', 14);
