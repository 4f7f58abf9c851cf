-- Collations: ICU, nondeterministic, libc; changed ones are dropped and created (a collation
-- cannot be altered); a column uses one that does not change.
CREATE SCHEMA "Coll";
CREATE COLLATION "Coll"."CaseInsensitive" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION public.german (provider = icu, locale = 'de-DE');
CREATE COLLATION public.posix_c (provider = libc, locale = 'C');
CREATE COLLATION public.gone (provider = icu, locale = 'fr');
CREATE TABLE public.names (id int PRIMARY KEY, n text COLLATE "Coll"."CaseInsensitive");
