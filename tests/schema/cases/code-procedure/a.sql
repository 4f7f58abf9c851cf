CREATE TABLE public.audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, msg text);
CREATE PROCEDURE public.log_msg(m text) LANGUAGE sql AS $$ INSERT INTO public.audit (msg) VALUES (m) $$;
CREATE PROCEDURE public.cleanup() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM public.audit; END $$;
CREATE PROCEDURE public.gone(x integer) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION public.becomes_proc(x integer) RETURNS void LANGUAGE sql AS $$ SELECT 1 $$;
