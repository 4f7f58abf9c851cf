CREATE TABLE public.orders (id integer PRIMARY KEY, total numeric(10,2) NOT NULL, status text NOT NULL);
CREATE VIEW public.v_orders AS SELECT id, total, status FROM public.orders;
CREATE VIEW public.v_top AS SELECT id FROM public.v_orders WHERE total > 100;
