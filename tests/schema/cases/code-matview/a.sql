CREATE TABLE public.sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL);
CREATE MATERIALIZED VIEW public.sales_by_region AS SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;
CREATE UNIQUE INDEX sales_by_region_region ON public.sales_by_region (region);
CREATE MATERIALIZED VIEW public.empty_mv AS SELECT id FROM public.sales WITH NO DATA;
CREATE MATERIALIZED VIEW public.opts_mv AS SELECT id FROM public.sales;
