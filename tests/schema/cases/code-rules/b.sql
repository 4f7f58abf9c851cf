CREATE TABLE public.log (id integer, msg text);
CREATE TABLE public.things (id integer PRIMARY KEY, name text);
CREATE RULE log_insert AS ON INSERT TO public.things DO ALSO INSERT INTO public.log VALUES (NEW.id, 'inserted ' || NEW.name);
CREATE RULE log_update AS ON UPDATE TO public.things WHERE OLD.name IS DISTINCT FROM NEW.name DO ALSO INSERT INTO public.log VALUES (NEW.id, OLD.name);
CREATE VIEW public.things_view AS SELECT id, name FROM public.things;
CREATE RULE view_insert AS ON INSERT TO public.things_view DO INSTEAD INSERT INTO public.things VALUES (NEW.id, NEW.name);
ALTER TABLE public.things DISABLE RULE log_update;
