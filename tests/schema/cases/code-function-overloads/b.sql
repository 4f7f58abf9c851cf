CREATE SCHEMA "Lib";
CREATE FUNCTION "Lib".fmt(x integer) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT x::text $$;
CREATE FUNCTION "Lib".fmt(x numeric, digits integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT round(x, digits)::text $$;
CREATE FUNCTION "Lib".fmt(x boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT x::text $$;
CREATE FUNCTION "Lib"."Secure"() RETURNS name LANGUAGE sql SECURITY INVOKER AS $$ SELECT current_user $$;
CREATE FUNCTION "Lib".out_params(IN a integer, OUT doubled integer, OUT tripled bigint) LANGUAGE sql AS $$ SELECT a * 2, (a * 3)::bigint $$;
CREATE FUNCTION "Lib".win_rank() RETURNS bigint LANGUAGE internal WINDOW STABLE AS 'window_rank';
