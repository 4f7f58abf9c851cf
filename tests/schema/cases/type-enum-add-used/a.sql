-- A value added and used in the same plan (a column default): ADD VALUE cannot be used before it
-- commits, so the one-transaction plan rebuilds the type.
CREATE TYPE public.level AS ENUM ('low', 'high');
CREATE TABLE public.alerts (id int PRIMARY KEY, lvl public.level);
