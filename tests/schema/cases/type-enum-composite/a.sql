-- A rebuilt enum (labels reordered) that a composite type's attribute uses: the attribute is
-- retyped to the new enum before the old one is dropped.
CREATE TYPE public.size AS ENUM ('s', 'm', 'l');
CREATE TYPE public.shirt AS (color text, sz public.size, sizes public.size[]);
CREATE TABLE public.stock (id int PRIMARY KEY, sz public.size);
