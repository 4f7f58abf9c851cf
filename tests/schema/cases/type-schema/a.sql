-- Schemas created and dropped (never CASCADE), quoted mixed-case and reserved-word names.
CREATE SCHEMA "App";
CREATE SCHEMA "select";
CREATE SCHEMA old_stuff;
CREATE TABLE old_stuff.t (id int);
