-- A domain's base type (and collation) changes while columns use it: the domain is rebuilt and
-- the columns retyped, a view on them recreated; a domain nothing uses is dropped and created.
CREATE DOMAIN public.code AS varchar(10) CHECK (VALUE <> '');
CREATE DOMAIN public.unused AS integer;
CREATE DOMAIN public.label AS text COLLATE "C";
CREATE TABLE public.items (id int PRIMARY KEY, code public.code DEFAULT 'x', l public.label);
CREATE VIEW public.item_codes AS SELECT id, code FROM public.items;
