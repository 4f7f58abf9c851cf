CREATE TABLE public.items (id integer PRIMARY KEY, name text, price numeric, weight real);
CREATE VIEW public.v_items AS SELECT id, name, price, weight FROM public.items;
CREATE VIEW public.v_cheap AS SELECT id, name FROM public.v_items WHERE price < 10;
CREATE FUNCTION public.item_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM public.v_items; END;
