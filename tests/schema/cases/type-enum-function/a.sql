-- A rebuilt enum (a value removed) that a function's signature, a column's default and an index
-- use: the function is dropped and created around the rebuild, the column retyped.
CREATE SCHEMA "Work";
CREATE TYPE "Work"."Stage" AS ENUM ('todo', 'doing', 'review', 'done');
CREATE TABLE "Work".cards (id int PRIMARY KEY, stage "Work"."Stage" NOT NULL DEFAULT 'todo');
CREATE INDEX cards_stage ON "Work".cards (stage);
CREATE FUNCTION "Work".next_stage(s "Work"."Stage") RETURNS "Work"."Stage" LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE s WHEN 'todo' THEN 'doing'::"Work"."Stage" ELSE 'done'::"Work"."Stage" END $$;
