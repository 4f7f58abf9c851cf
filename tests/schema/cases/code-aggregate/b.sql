CREATE FUNCTION public.add_pair(state integer, x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT state + x $$;
CREATE FUNCTION public.half(state integer) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT state / 2.0 $$;
CREATE AGGREGATE public.my_sum(integer) (SFUNC = public.add_pair, STYPE = integer, INITCOND = '100');
CREATE AGGREGATE public.my_max(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
CREATE AGGREGATE public.count_all(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE TABLE public.n (v integer);
CREATE VIEW public.totals AS SELECT public.my_sum(v) AS s FROM public.n;
