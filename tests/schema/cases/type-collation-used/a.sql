-- A collation that columns use changes: a new one is made beside it, the columns moved to it (a
-- view and an index on one of them around it), the old one dropped.
CREATE COLLATION public.sorting (provider = icu, locale = 'de-DE');
CREATE TABLE public.words (id int PRIMARY KEY, w text COLLATE public.sorting, v varchar(20) COLLATE public.sorting);
CREATE INDEX words_w ON public.words (w);
CREATE VIEW public.sorted_words AS SELECT id, w FROM public.words ORDER BY w;
