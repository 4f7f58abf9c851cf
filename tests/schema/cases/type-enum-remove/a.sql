-- A value removed: a rebuild, a data-loss hazard; a view on the column is recreated. Back: an
-- ADD VALUE.
CREATE TYPE public.color AS ENUM ('red', 'green', 'blue');
CREATE TABLE public.paint (id int PRIMARY KEY, c public.color NOT NULL DEFAULT 'red');
CREATE VIEW public.reds AS SELECT id, c FROM public.paint WHERE c = 'red';
INSERT INTO public.paint VALUES (1, 'red'), (2, 'blue');
GRANT SELECT ON public.reds TO PUBLIC;
COMMENT ON VIEW public.reds IS 'red paint';
