CREATE TABLE public.t (id integer PRIMARY KEY, v integer);
CREATE FUNCTION public.f(x bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT x * 2 $$;
CREATE FUNCTION public.g(x integer) RETURNS bigint LANGUAGE sql AS $$ SELECT x::bigint $$;
CREATE FUNCTION public.h(first integer, second integer DEFAULT 0) RETURNS integer LANGUAGE sql AS $$ SELECT first + second $$;
CREATE FUNCTION public.rows_of(n integer) RETURNS TABLE(i integer, sq integer) LANGUAGE sql AS $$ SELECT g, g * g FROM generate_series(1, n) g $$;
CREATE VIEW public.uses_g AS SELECT id, public.g(v) AS gv FROM public.t;
CREATE FUNCTION public.pick(VARIADIC xs text[]) RETURNS text LANGUAGE sql AS $$ SELECT xs[1] $$;
