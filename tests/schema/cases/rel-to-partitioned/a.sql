-- A plain table turned partitioned: PostgreSQL cannot ALTER it, so the plan drops and creates it
-- (the diff marks it data loss).
CREATE TABLE metrics (
    id bigint NOT NULL,
    at date NOT NULL,
    value numeric
);
CREATE INDEX metrics_at ON metrics (at);
