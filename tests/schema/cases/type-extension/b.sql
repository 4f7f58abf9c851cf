CREATE SCHEMA ext;
CREATE EXTENSION citext SCHEMA ext;
CREATE EXTENSION hstore VERSION '1.7';
CREATE EXTENSION pg_trgm;
CREATE TABLE public.users (id int PRIMARY KEY, email ext.citext NOT NULL, tags public.hstore, aliases ext.citext[]);
CREATE INDEX users_email_trgm ON public.users USING gin ((email::text) public.gin_trgm_ops);
COMMENT ON EXTENSION pg_trgm IS 'trigram search';
