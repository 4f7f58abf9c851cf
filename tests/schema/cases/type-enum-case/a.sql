-- Seed 003: labels that differ only by case are renamed, never rebuilt.
CREATE TYPE public.evento_estado AS ENUM ('PENDING', 'ACTIVE', 'Closed');
CREATE TABLE public.eventos (id int PRIMARY KEY, estado public.evento_estado NOT NULL DEFAULT 'PENDING');
