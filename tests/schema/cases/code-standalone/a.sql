-- Only kinds of this group (no tables, no user types): views over VALUES, views on views,
-- functions, procedures, aggregates and operators on built-in types.
CREATE VIEW public.base AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s);
CREATE VIEW public.on_base AS SELECT n FROM public.base WHERE n > 1;
CREATE VIEW public.on_on_base AS SELECT count(*) AS c FROM public.on_base;
CREATE VIEW public.opts WITH (security_barrier = true) AS SELECT 1 AS one;
CREATE FUNCTION public.twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
CREATE FUNCTION public.uses_twice() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT public.twice(21); END;
CREATE FUNCTION public.gone(a text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN a; END $$;
CREATE PROCEDURE public.noop(x integer) LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE AGGREGATE public.product(integer) (SFUNC = int4mul, STYPE = integer, INITCOND = '1');
CREATE FUNCTION public.near(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT abs(a - b) < 2 $$;
CREATE OPERATOR public.~~~ (FUNCTION = public.near, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR = ~~~);
CREATE MATERIALIZED VIEW public.mv AS SELECT n, s FROM public.base;
