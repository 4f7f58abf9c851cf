CREATE TABLE public.payments (id integer PRIMARY KEY, amount bigint NOT NULL, note varchar(200));
CREATE VIEW public.v_payments AS SELECT id, amount, note FROM public.payments;
CREATE VIEW public.v_big AS SELECT id, amount FROM public.v_payments WHERE amount > 1000;
CREATE VIEW public.v_big_count AS SELECT count(*) AS n, sum(amount) AS total FROM public.v_big;
