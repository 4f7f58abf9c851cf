-- The rebuilt side: the same comments and grants.
CREATE TYPE public.prio AS ENUM ('high', 'medium', 'low');
COMMENT ON TYPE public.prio IS 'how urgent';
GRANT USAGE ON TYPE public.prio TO "DbopsTypeReader";
REVOKE USAGE ON TYPE public.prio FROM PUBLIC;
CREATE TYPE public.pair AS (y text, x int);
COMMENT ON TYPE public.pair IS 'two things';
CREATE DOMAIN public.code AS text CHECK (VALUE <> '');
COMMENT ON DOMAIN public.code IS 'a short code';
GRANT USAGE ON DOMAIN public.code TO "DbopsTypeReader";
CREATE TABLE public.tasks (id int PRIMARY KEY, p public.prio, pr public.pair, c public.code);
