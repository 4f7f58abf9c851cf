-- Reordered.
CREATE TYPE public.size AS ENUM ('l', 'm', 's');
CREATE TYPE public.shirt AS (color text, sz public.size, sizes public.size[]);
CREATE TABLE public.stock (id int PRIMARY KEY, sz public.size);
