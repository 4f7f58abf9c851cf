-- The reordered side.
CREATE TYPE public.prio AS ENUM ('high', 'medium', 'low');
CREATE TABLE public.tasks (id int PRIMARY KEY, p public.prio DEFAULT 'low', hist public.prio[]);
CREATE VIEW public.urgent AS SELECT id, p FROM public.tasks WHERE p = 'high';
CREATE VIEW public.urgent_ids AS SELECT id FROM public.urgent;
