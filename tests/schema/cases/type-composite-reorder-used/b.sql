CREATE TYPE public.money_amount AS (value numeric(12,2), currency char(3));
CREATE TABLE public.prices (id integer PRIMARY KEY, price public.money_amount);
CREATE VIEW public.price_values AS SELECT id, (price).value AS value FROM public.prices;
INSERT INTO public.prices VALUES (1, ROW(12.50, 'EUR')), (2, NULL), (3, ROW(NULL, NULL));
