CREATE TYPE public.level AS ENUM ('low', 'high', 'critical');
CREATE TABLE public.alerts (id int PRIMARY KEY, lvl public.level DEFAULT 'critical');
