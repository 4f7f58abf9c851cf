CREATE SCHEMA "Full Schema";
CREATE SCHEMA ext;
CREATE EXTENSION citext SCHEMA ext;
CREATE COLLATION "Full Schema"."Ci" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION "Full Schema".c_libc (provider = libc, locale = 'C');
CREATE TYPE "Full Schema"."Status" AS ENUM ('new', 'In Progress', 'done''s');
CREATE DOMAIN "Full Schema".email AS ext.citext NOT NULL CONSTRAINT has_at CHECK (VALUE ~ '@');
CREATE DOMAIN "Full Schema".positive AS numeric(10, 2) DEFAULT 1 CHECK (VALUE > 0);
CREATE DOMAIN "Full Schema".tag AS text COLLATE "Full Schema".c_libc;
CREATE TYPE "Full Schema".money_pair AS (amount "Full Schema".positive, currency char(3), note text COLLATE "Full Schema"."Ci");
CREATE TYPE "Full Schema".wrapper AS (s "Full Schema"."Status", p "Full Schema".money_pair);
CREATE TABLE "Full Schema".orders (
    id int PRIMARY KEY,
    status "Full Schema"."Status" NOT NULL DEFAULT 'new',
    history "Full Schema"."Status"[],
    buyer "Full Schema".email,
    price "Full Schema".money_pair,
    tags "Full Schema".tag[],
    "select" text COLLATE "Full Schema"."Ci"
);
CREATE VIEW "Full Schema".open_orders AS SELECT id, status FROM "Full Schema".orders WHERE status <> 'done''s';
ALTER SCHEMA "Full Schema" OWNER TO "Dbops Sec Owner";
ALTER TYPE "Full Schema"."Status" OWNER TO "Dbops Sec Owner";
ALTER DOMAIN "Full Schema".email OWNER TO dbops_sec_owner;
GRANT USAGE ON SCHEMA "Full Schema" TO "DbopsReader";
GRANT SELECT ON "Full Schema".orders TO "DbopsReader";
GRANT UPDATE (status) ON "Full Schema".orders TO "Dbops Sec Owner";
REVOKE USAGE ON TYPE "Full Schema"."Status" FROM PUBLIC;
GRANT USAGE ON TYPE "Full Schema"."Status" TO "DbopsReader" WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE dbops_sec_owner IN SCHEMA "Full Schema" GRANT SELECT ON TABLES TO "DbopsReader";
COMMENT ON SCHEMA "Full Schema" IS 'everything';
COMMENT ON TYPE "Full Schema"."Status" IS 'an order''s status';
COMMENT ON DOMAIN "Full Schema".email IS 'an e-mail address';
COMMENT ON TYPE "Full Schema".money_pair IS 'amount and currency';
COMMENT ON COLLATION "Full Schema"."Ci" IS 'case-insensitive';
COMMENT ON EXTENSION citext IS 'case-insensitive text';
COMMENT ON COLUMN "Full Schema".orders.status IS 'where it is';
