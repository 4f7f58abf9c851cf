CREATE SCHEMA "Coll";
CREATE COLLATION "Coll"."CaseInsensitive" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION public.german (provider = icu, locale = 'de-AT');
CREATE COLLATION public.posix_c (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION public.accent (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE TABLE public.names (id int PRIMARY KEY, n text COLLATE "Coll"."CaseInsensitive");
