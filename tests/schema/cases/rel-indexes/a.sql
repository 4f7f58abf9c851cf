-- Indexes: partial, expression, INCLUDE, options, methods, unique, on a materialized view.
CREATE TABLE docs (
    id integer PRIMARY KEY,
    title text,
    "Body" text,
    tags text[],
    created date,
    score integer
);
CREATE INDEX docs_title ON docs (title);
CREATE INDEX docs_created ON docs (created DESC NULLS LAST);
CREATE INDEX "Docs Score" ON docs (score) WITH (fillfactor = 70);
CREATE INDEX docs_gone ON docs (score, created);
