-- Composite types: attributes added, dropped and retyped in place; one reordered (dropped and
-- created); a table's row type is never a composite type.
CREATE SCHEMA geo;
CREATE TYPE geo.address AS (street text, zip integer, "Country" text);
CREATE TYPE geo.pair AS (a integer, b integer);
CREATE TYPE public."user" AS (name text COLLATE "C", age smallint);
CREATE TABLE geo.places (id int PRIMARY KEY, name text);
