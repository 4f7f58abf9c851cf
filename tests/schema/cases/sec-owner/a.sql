-- Owners of every kind change (to a mixed-case role and back); a grant to the old owner moves
-- with it.
CREATE SCHEMA "Owned";
CREATE TYPE "Owned".st AS ENUM ('a');
CREATE DOMAIN "Owned".pos AS int CHECK (VALUE > 0);
CREATE TYPE "Owned".pt AS (x int, y int);
CREATE COLLATION "Owned".ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE "Owned".t (id int PRIMARY KEY, s "Owned".st, n serial);
CREATE SEQUENCE "Owned".seq;
CREATE VIEW "Owned".v AS SELECT id FROM "Owned".t;
CREATE FUNCTION "Owned".f(i int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
ALTER SCHEMA "Owned" OWNER TO dbops_sec_owner;
ALTER TYPE "Owned".st OWNER TO dbops_sec_owner;
ALTER DOMAIN "Owned".pos OWNER TO dbops_sec_owner;
ALTER TYPE "Owned".pt OWNER TO dbops_sec_owner;
ALTER COLLATION "Owned".ci OWNER TO dbops_sec_owner;
ALTER TABLE "Owned".t OWNER TO dbops_sec_owner;
ALTER SEQUENCE "Owned".seq OWNER TO dbops_sec_owner;
ALTER VIEW "Owned".v OWNER TO dbops_sec_owner;
ALTER FUNCTION "Owned".f(int) OWNER TO dbops_sec_owner;
GRANT SELECT ON "Owned".t TO "DbopsReader";
