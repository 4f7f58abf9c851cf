-- The worker polls "scheduled_for IS NULL OR scheduled_for <= now()" (seed 001:
-- column "scheduled_for" does not exist). Add the column and the index the poll uses.
ALTER TABLE jobs ADD COLUMN scheduled_for timestamptz;
CREATE INDEX idx_jobs_scheduled ON jobs (scheduled_for) WHERE status = 'pending';
