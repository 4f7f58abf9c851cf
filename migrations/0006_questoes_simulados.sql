-- Questions and mock exams.
CREATE TABLE questoes (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject_id  integer NOT NULL REFERENCES subjects (id),
    statement   text NOT NULL,
    answer_key  char(1) NOT NULL CHECK (answer_key IN ('A', 'B', 'C', 'D', 'E')),
    source      varchar(200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE questoes_tags (
    questao_id  uuid NOT NULL REFERENCES questoes (id) ON DELETE CASCADE,
    tag         varchar(60) NOT NULL,
    PRIMARY KEY (questao_id, tag)
);

CREATE TABLE simulados (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title       varchar(200) NOT NULL,
    duration    interval NOT NULL DEFAULT '4 hours',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE simulados_questoes (
    simulado_id uuid NOT NULL REFERENCES simulados (id) ON DELETE CASCADE,
    questao_id  uuid NOT NULL REFERENCES questoes (id),
    position    smallint NOT NULL,
    PRIMARY KEY (simulado_id, questao_id),
    UNIQUE (simulado_id, position)
);

CREATE TABLE simulados_resultados (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    simulado_id uuid NOT NULL REFERENCES simulados (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    score       numeric(5, 2) NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now()
);
