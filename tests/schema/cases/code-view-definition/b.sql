CREATE TABLE public.orders (id integer PRIMARY KEY, total numeric(10,2) NOT NULL, status text NOT NULL);
CREATE VIEW public.open_orders AS SELECT id, total FROM public.orders WHERE status IN ('open', 'pending');
