CREATE SCHEMA geo;
CREATE TYPE geo.address AS (street text, zip bigint, city varchar(40) COLLATE "POSIX");
CREATE TYPE geo.pair AS (b integer, a integer);
CREATE TYPE public."user" AS (name text COLLATE "C", age smallint);
CREATE TABLE geo.places (id int PRIMARY KEY, name text);
