CREATE TABLE public.measurements (id bigint NOT NULL, taken date NOT NULL, value double precision) PARTITION BY RANGE (taken);
CREATE TABLE public.measurements_2024 PARTITION OF public.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW public.recent AS SELECT id, taken, value FROM public.measurements WHERE taken > '2020-01-01';
