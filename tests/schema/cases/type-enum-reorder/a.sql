-- Labels reordered: a rebuild (old type renamed away, columns retyped through text, old one
-- dropped), with a view and a view on the view around the retyped column.
CREATE TYPE public.prio AS ENUM ('low', 'medium', 'high');
CREATE TABLE public.tasks (id int PRIMARY KEY, p public.prio DEFAULT 'low', hist public.prio[]);
CREATE VIEW public.urgent AS SELECT id, p FROM public.tasks WHERE p = 'high';
CREATE VIEW public.urgent_ids AS SELECT id FROM public.urgent;
