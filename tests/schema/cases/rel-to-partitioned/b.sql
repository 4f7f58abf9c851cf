CREATE TABLE metrics (
    id bigint NOT NULL,
    at date NOT NULL,
    value numeric
) PARTITION BY RANGE (at);
CREATE TABLE metrics_2025 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX metrics_at ON metrics (at);
