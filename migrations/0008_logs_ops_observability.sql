-- Observability: metrics, health checks and alerts.
CREATE TABLE ops_metrics (
    id          bigserial PRIMARY KEY,
    name        varchar(120) NOT NULL,
    value       double precision NOT NULL,
    labels      jsonb NOT NULL DEFAULT '{}'::jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_ops_metrics_name_time ON ops_metrics (name, recorded_at DESC);

CREATE TABLE ops_health (
    component   varchar(60) PRIMARY KEY,
    status      varchar(20) NOT NULL CHECK (status IN ('healthy', 'degraded', 'down')),
    detail      text,
    checked_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ops_alertas (
    id          bigserial PRIMARY KEY,
    severity    varchar(10) NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    message     text NOT NULL,
    raised_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX idx_ops_alertas_open ON ops_alertas (raised_at) WHERE resolved_at IS NULL;

INSERT INTO ops_health (component, status) VALUES
    ('api', 'healthy'), ('worker', 'healthy'), ('database', 'healthy');
