CREATE TABLE docs (
    id integer PRIMARY KEY,
    title text,
    "Body" text,
    tags text[],
    created date,
    score integer
);
CREATE INDEX docs_title ON docs (lower(title));
CREATE INDEX docs_created ON docs (created) WHERE score > 10;
CREATE INDEX "Docs Score" ON docs (score) WITH (fillfactor = 90);
CREATE UNIQUE INDEX docs_title_uniq ON docs (title) INCLUDE (score);
CREATE INDEX docs_tags ON docs USING gin (tags);
CREATE INDEX docs_hash ON docs USING hash ("Body");
CREATE INDEX docs_brin ON docs USING brin (created) WITH (pages_per_range = 16);
