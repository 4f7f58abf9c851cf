CREATE TABLE public.orders (id integer NOT NULL);
CREATE SEQUENCE public.order_numbers;
CREATE TABLE public.items (id integer NOT NULL, old_no integer);
