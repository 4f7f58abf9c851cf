CREATE TABLE public.t (id integer PRIMARY KEY, a integer);
CREATE VIEW public.v AS SELECT id, a FROM public.t WHERE a > 0 WITH LOCAL CHECK OPTION;
CREATE VIEW public.w AS SELECT id, a FROM public.v WHERE a < 100;
