CREATE SCHEMA "Lib";
CREATE FUNCTION "Lib".fmt(x integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT x::text $$;
CREATE FUNCTION "Lib".fmt(x numeric, digits integer DEFAULT 2) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT round(x, digits)::text $$;
CREATE FUNCTION "Lib".fmt(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT x $$;
CREATE FUNCTION "Lib"."Secure"() RETURNS name LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT current_user $$;
CREATE FUNCTION "Lib".out_params(IN a integer, OUT doubled integer, OUT tripled integer) LANGUAGE sql AS $$ SELECT a * 2, a * 3 $$;
CREATE FUNCTION "Lib".win_rank() RETURNS bigint LANGUAGE internal WINDOW IMMUTABLE AS 'window_rank';
