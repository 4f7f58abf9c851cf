-- Types rebuilt under their columns (an enum reordered, a composite reordered, a domain whose
-- base type changes) keep the comment, owner and grants they have on both sides: the new type is
-- a new object, so they are written again as for a create.
CREATE TYPE public.prio AS ENUM ('low', 'medium', 'high');
COMMENT ON TYPE public.prio IS 'how urgent';
GRANT USAGE ON TYPE public.prio TO "DbopsTypeReader";
REVOKE USAGE ON TYPE public.prio FROM PUBLIC;
CREATE TYPE public.pair AS (x int, y text);
COMMENT ON TYPE public.pair IS 'two things';
CREATE DOMAIN public.code AS varchar(10) CHECK (VALUE <> '');
COMMENT ON DOMAIN public.code IS 'a short code';
GRANT USAGE ON DOMAIN public.code TO "DbopsTypeReader";
CREATE TABLE public.tasks (id int PRIMARY KEY, p public.prio, pr public.pair, c public.code);
