CREATE SCHEMA "Types";
CREATE DOMAIN "Types"."Positive" AS integer DEFAULT 1 NOT NULL CHECK (VALUE > 0) CHECK (VALUE < 200);
CREATE DOMAIN public.email AS text
    CONSTRAINT has_at CHECK (VALUE LIKE '%_@_%');
CREATE DOMAIN public.score AS numeric(5, 2) DEFAULT 0.5 CONSTRAINT in_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE DOMAIN public."order" AS bigint;
ALTER DOMAIN public."order" ADD CONSTRAINT "Big" CHECK (VALUE > 10) NOT VALID;
CREATE TABLE public.people (id int PRIMARY KEY, age "Types"."Positive", mail public.email, s public.score, o public."order");
