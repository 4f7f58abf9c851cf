CREATE TABLE public.log (id integer, msg text);
CREATE TABLE public.things (id integer PRIMARY KEY, name text);
CREATE RULE log_insert AS ON INSERT TO public.things DO ALSO INSERT INTO public.log VALUES (NEW.id, 'insert');
CREATE RULE no_delete AS ON DELETE TO public.things DO INSTEAD NOTHING;
CREATE VIEW public.things_view AS SELECT id, name FROM public.things;
CREATE RULE view_insert AS ON INSERT TO public.things_view DO INSTEAD INSERT INTO public.things VALUES (NEW.id, NEW.name);
