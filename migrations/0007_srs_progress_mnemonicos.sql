-- Daily progress roll-ups and mnemonics.
CREATE TABLE progress_diario (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day         date NOT NULL,
    reviews     integer NOT NULL DEFAULT 0,
    correct     integer NOT NULL DEFAULT 0,
    minutes     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);

CREATE TABLE mnemonicos (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    drop_id     uuid NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    text        text NOT NULL,
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE VIEW progress_semanal AS
    SELECT user_id,
           date_trunc('week', day)::date AS week,
           sum(reviews) AS reviews,
           sum(correct) AS correct,
           sum(minutes) AS minutes
      FROM progress_diario
     GROUP BY user_id, date_trunc('week', day);
