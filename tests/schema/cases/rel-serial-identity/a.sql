-- serial to identity (and back): the sequence goes, the identity starts past the rows there.
CREATE TABLE tickets (
    id serial PRIMARY KEY,
    title text
);
INSERT INTO tickets (title) SELECT 't' || g FROM generate_series(1, 5) g;
