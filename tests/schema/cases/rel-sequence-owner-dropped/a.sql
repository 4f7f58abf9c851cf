CREATE TABLE public.orders (id integer NOT NULL, legacy_no integer);
CREATE SEQUENCE public.order_numbers OWNED BY public.orders.legacy_no;
CREATE TABLE public.items (id integer NOT NULL);
