CREATE FUNCTION public.add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT amount * (1 + rate) $$;
CREATE FUNCTION public.greet(who text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN 'hello ' || who;
END
$$;
CREATE TABLE public.prices (id integer PRIMARY KEY, net numeric NOT NULL);
CREATE VIEW public.gross AS SELECT id, public.add_tax(net) AS gross FROM public.prices;
CREATE FUNCTION public.std_body(x integer) RETURNS integer LANGUAGE sql RETURN x + 1;
