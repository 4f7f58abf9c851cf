CREATE FUNCTION public.add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric
    LANGUAGE sql STABLE STRICT AS $$ SELECT round(amount * (1 + rate), 2) $$;
CREATE FUNCTION public.greet(who text) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT 'hi ' || who
$$;
CREATE TABLE public.prices (id integer PRIMARY KEY, net numeric NOT NULL);
CREATE VIEW public.gross AS SELECT id, public.add_tax(net) AS gross FROM public.prices;
CREATE FUNCTION public.std_body(x integer) RETURNS integer LANGUAGE sql RETURN x + 2;
