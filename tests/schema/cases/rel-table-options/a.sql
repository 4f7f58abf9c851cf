-- Unlogged, reloptions, replica identity, row level security.
CREATE TABLE events (id integer PRIMARY KEY, body text) WITH (fillfactor = 80, autovacuum_enabled = false);
CREATE UNLOGGED TABLE scratch (id integer, note text);
CREATE TABLE feed (id integer NOT NULL, body text);
CREATE UNIQUE INDEX feed_id ON feed (id);
CREATE TABLE secret (id integer, owner_name text);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
CREATE TABLE "Log" (id integer PRIMARY KEY);
ALTER TABLE "Log" REPLICA IDENTITY FULL;
