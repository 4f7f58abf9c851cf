CREATE TABLE public.t (id integer PRIMARY KEY, v integer);
CREATE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x * 2 $$;
CREATE FUNCTION public.g(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;
CREATE FUNCTION public.h(a integer, b integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + b $$;
CREATE FUNCTION public.rows_of(n integer) RETURNS TABLE(i integer) LANGUAGE sql AS $$ SELECT generate_series(1, n) $$;
CREATE VIEW public.uses_g AS SELECT id, public.g(v) AS gv FROM public.t;
CREATE FUNCTION public.pick(VARIADIC xs integer[]) RETURNS integer LANGUAGE sql AS $$ SELECT xs[1] $$;
