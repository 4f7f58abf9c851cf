-- Background jobs: the queue, its logs and recurring schedules.
CREATE TABLE jobs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          varchar(255),
    type          varchar(100),
    status        varchar(50) DEFAULT 'pending',
    priority      integer DEFAULT 5,
    data          jsonb DEFAULT '{}'::jsonb,
    result        jsonb,
    error         text,
    attempts      integer DEFAULT 0,
    max_attempts  integer DEFAULT 3,
    started_at    timestamptz,
    completed_at  timestamptz,
    created_at    timestamptz DEFAULT now()
);
CREATE INDEX idx_jobs_status ON jobs (status);
CREATE INDEX idx_jobs_type ON jobs (type);
CREATE INDEX idx_jobs_priority ON jobs (priority DESC);
CREATE INDEX idx_jobs_created ON jobs (created_at);
CREATE INDEX idx_jobs_queue ON jobs (priority DESC, created_at) WHERE status = 'pending';

CREATE TABLE job_logs (
    id          bigserial PRIMARY KEY,
    job_id      uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    level       varchar(10) NOT NULL DEFAULT 'info',
    message     text NOT NULL,
    logged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_job_logs_job ON job_logs (job_id, logged_at);

CREATE TABLE job_schedule (
    name        varchar(255) PRIMARY KEY,
    type        varchar(100) NOT NULL,
    cron        varchar(100) NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    last_run_at timestamptz
);
