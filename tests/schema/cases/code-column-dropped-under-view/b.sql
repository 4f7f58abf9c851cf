CREATE TABLE public.people (id integer PRIMARY KEY, name text NOT NULL);
CREATE VIEW public.v_people AS SELECT id, name FROM public.people;
CREATE VIEW public.v_named AS SELECT id, name FROM public.v_people;
ALTER TABLE public.people ENABLE ROW LEVEL SECURITY;
CREATE POLICY adults ON public.people USING (id > 0);
CREATE FUNCTION public.people_trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE VIEW public.v_instead AS SELECT id, name FROM public.people;
CREATE FUNCTION public.v_instead_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.people (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
CREATE TRIGGER v_instead_ins INSTEAD OF INSERT OR UPDATE ON public.v_instead FOR EACH ROW EXECUTE FUNCTION public.v_instead_ins();
