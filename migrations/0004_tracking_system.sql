-- Product analytics: sessions and events.
CREATE TABLE tracking_sessions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz
);

CREATE TABLE tracking_events (
    id          bigserial PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES tracking_sessions (id) ON DELETE CASCADE,
    name        varchar(100) NOT NULL,
    properties  jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_tracking_events_session ON tracking_events (session_id, occurred_at);
CREATE INDEX idx_tracking_events_name ON tracking_events (name);
