CREATE DOMAIN public.code AS varchar(20) CHECK (VALUE <> '');
CREATE DOMAIN public.unused AS bigint;
CREATE DOMAIN public.label AS text COLLATE "POSIX";
CREATE TABLE public.items (id int PRIMARY KEY, code public.code DEFAULT 'x', l public.label);
CREATE VIEW public.item_codes AS SELECT id, code FROM public.items;
