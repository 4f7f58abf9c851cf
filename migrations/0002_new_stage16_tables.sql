-- Content: subjects and study drops (short lessons).
CREATE TABLE subjects (
    id          serial PRIMARY KEY,
    slug        varchar(80) NOT NULL UNIQUE,
    title       varchar(200) NOT NULL,
    parent_id   integer REFERENCES subjects (id)
);

CREATE TABLE drops (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject_id  integer NOT NULL REFERENCES subjects (id),
    title       varchar(200) NOT NULL,
    body        text NOT NULL,
    difficulty  smallint NOT NULL DEFAULT 3 CHECK (difficulty BETWEEN 1 AND 5),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_drops_subject ON drops (subject_id);

CREATE TABLE user_drops (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    drop_id     uuid NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, drop_id)
);

INSERT INTO subjects (slug, title) VALUES
    ('constitutional-law', 'Constitutional law'),
    ('administrative-law', 'Administrative law'),
    ('portuguese', 'Portuguese');
