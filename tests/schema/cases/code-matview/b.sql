CREATE TABLE public.sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL);
CREATE MATERIALIZED VIEW public.sales_by_region AS SELECT region, sum(amount) AS total, count(*) AS n FROM public.sales GROUP BY region;
CREATE UNIQUE INDEX sales_by_region_region ON public.sales_by_region (region);
CREATE INDEX sales_by_region_total ON public.sales_by_region (total);
CREATE MATERIALIZED VIEW public.empty_mv AS SELECT id FROM public.sales;
CREATE MATERIALIZED VIEW public.opts_mv WITH (fillfactor = 70) AS SELECT id FROM public.sales;
CREATE VIEW public.on_mv AS SELECT region FROM public.sales_by_region;
