CREATE TYPE public.money_amount AS (currency char(3), value numeric(12,2));
CREATE TABLE public.prices (id integer PRIMARY KEY, price public.money_amount);
CREATE VIEW public.price_values AS SELECT id, (price).value AS value FROM public.prices;
-- Values the rebuild must carry over attribute by attribute (a text round trip would fail on them).
INSERT INTO public.prices VALUES (1, ROW('EUR', 12.50)), (2, NULL), (3, ROW(NULL, NULL));
