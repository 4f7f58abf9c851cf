CREATE TABLE public.audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, msg text);
CREATE PROCEDURE public.log_msg(m text) LANGUAGE sql AS $$ INSERT INTO public.audit (msg) VALUES (upper(m)) $$;
CREATE PROCEDURE public.cleanup(keep integer) LANGUAGE plpgsql AS $$ BEGIN DELETE FROM public.audit WHERE id > keep; END $$;
CREATE PROCEDURE public.becomes_proc(x integer) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE PROCEDURE public.added(INOUT total integer) LANGUAGE plpgsql AS $$ BEGIN total := total + 1; END $$;
