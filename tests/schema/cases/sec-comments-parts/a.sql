CREATE DOMAIN public.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE public.point2 AS (x integer, y integer);
CREATE TABLE public.t (id integer PRIMARY KEY, p public.point2, n public.positive);
