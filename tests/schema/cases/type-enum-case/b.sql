CREATE TYPE public.evento_estado AS ENUM ('pending', 'active', 'Closed');
CREATE TABLE public.eventos (id int PRIMARY KEY, estado public.evento_estado NOT NULL DEFAULT 'pending');
