CREATE TABLE public.addr (id integer PRIMARY KEY, city text, zip text, country text);
CREATE STATISTICS public.addr_city_zip (ndistinct) ON city, zip FROM public.addr;
CREATE STATISTICS public.addr_target ON city, country FROM public.addr;
ALTER STATISTICS public.addr_target SET STATISTICS 500;
CREATE STATISTICS public.addr_expr ON lower(city), country FROM public.addr;
