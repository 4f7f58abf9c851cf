CREATE TABLE public.measurements (id bigint NOT NULL, taken date NOT NULL, value double precision);
CREATE VIEW public.recent AS SELECT id, taken, value FROM public.measurements WHERE taken > '2020-01-01';
