-- Spaced repetition cards and their reviews.
CREATE TABLE srs_cards (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    drop_id      uuid NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    ease         numeric(4, 2) NOT NULL DEFAULT 2.50,
    interval_days integer NOT NULL DEFAULT 0,
    due_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, drop_id)
);
CREATE INDEX idx_srs_cards_due ON srs_cards (user_id, due_at);

CREATE TABLE srs_reviews (
    id          bigserial PRIMARY KEY,
    card_id     uuid NOT NULL REFERENCES srs_cards (id) ON DELETE CASCADE,
    grade       smallint NOT NULL CHECK (grade BETWEEN 0 AND 5),
    reviewed_at timestamptz NOT NULL DEFAULT now()
);
