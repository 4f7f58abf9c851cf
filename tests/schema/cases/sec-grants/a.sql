-- Grants: to a mixed-case role and to PUBLIC, with grant option, column grants, revokes of the
-- defaults (a function's EXECUTE and a type's USAGE from PUBLIC), on every kind that has them;
-- an explicit acl equal to the defaults is the same as none.
CREATE SCHEMA "Sec";
CREATE TABLE "Sec".accounts (id int PRIMARY KEY, owner_name text, balance numeric);
CREATE SEQUENCE "Sec".ids;
CREATE VIEW "Sec".account_names AS SELECT id, owner_name FROM "Sec".accounts;
CREATE TYPE "Sec".kind AS ENUM ('a', 'b');
CREATE DOMAIN "Sec".amount AS numeric;
CREATE FUNCTION "Sec".total() RETURNS numeric LANGUAGE sql STABLE AS 'SELECT sum(balance) FROM "Sec".accounts';
GRANT SELECT ON "Sec".accounts TO "DbopsReader";
GRANT UPDATE (owner_name) ON "Sec".accounts TO dbops_sec_owner;
GRANT USAGE ON SCHEMA "Sec" TO PUBLIC;
GRANT USAGE ON TYPE "Sec".kind TO PUBLIC;
REVOKE ALL ON "Sec".accounts FROM "DbopsReader";
GRANT SELECT ON "Sec".accounts TO "DbopsReader";
