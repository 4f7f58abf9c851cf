-- The other locale.
CREATE COLLATION public.sorting (provider = icu, locale = 'sv-SE');
CREATE TABLE public.words (id int PRIMARY KEY, w text COLLATE public.sorting, v varchar(20) COLLATE public.sorting);
CREATE INDEX words_w ON public.words (w);
CREATE VIEW public.sorted_words AS SELECT id, w FROM public.words ORDER BY w;
