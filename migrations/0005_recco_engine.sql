-- Recommendation engine state per user and subject.
CREATE TABLE recco_states (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_id  integer NOT NULL REFERENCES subjects (id),
    mastery     real NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, subject_id)
);

CREATE TABLE recco_predictions (
    id          bigserial PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    drop_id     uuid NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    score       real NOT NULL,
    model       varchar(40) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_recco_predictions_user ON recco_predictions (user_id, score DESC);
