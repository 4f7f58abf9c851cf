-- Every in-place change of a domain: default set and dropped, NOT NULL set and dropped, checks
-- added, dropped and changed; a column uses each domain.
CREATE SCHEMA "Types";
CREATE DOMAIN "Types"."Positive" AS integer CHECK (VALUE > 0);
CREATE DOMAIN public.email AS text NOT NULL DEFAULT 'nobody@example.com'
    CONSTRAINT has_at CHECK (VALUE LIKE '%@%') CONSTRAINT short CHECK (length(VALUE) < 100);
CREATE DOMAIN public.score AS numeric(5, 2);
CREATE DOMAIN public."order" AS bigint CONSTRAINT "Big" CHECK (VALUE > 10);
CREATE TABLE public.people (id int PRIMARY KEY, age "Types"."Positive", mail public.email, s public.score, o public."order");
