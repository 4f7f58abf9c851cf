-- An extension updated in place (and back: nothing uses it, so dropped and created at the old
-- version), one moved to another schema.
CREATE SCHEMA ext;
CREATE EXTENSION hstore VERSION '1.7';
CREATE EXTENSION citext;
CREATE TABLE public.t (id int PRIMARY KEY, name public.citext);
