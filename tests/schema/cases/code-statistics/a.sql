CREATE TABLE public.addr (id integer PRIMARY KEY, city text, zip text, country text);
CREATE STATISTICS public.addr_city_zip (ndistinct, dependencies) ON city, zip FROM public.addr;
CREATE STATISTICS public.addr_target ON city, country FROM public.addr;
CREATE STATISTICS public.addr_gone (mcv) ON zip, country FROM public.addr;
