CREATE DOMAIN public.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
COMMENT ON CONSTRAINT positive_check ON DOMAIN public.positive IS 'must be above zero';
CREATE TYPE public.point2 AS (x integer, y integer);
COMMENT ON COLUMN public.point2.x IS 'horizontal';
CREATE TABLE public.t (id integer PRIMARY KEY, p public.point2, n public.positive);
