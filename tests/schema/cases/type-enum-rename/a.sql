-- One label renamed (RENAME VALUE, no rebuild), with a column and a view on it.
CREATE TYPE public.state AS ENUM ('pending', 'done', 'failed');
CREATE TABLE public.jobs (id int PRIMARY KEY, state public.state DEFAULT 'pending');
CREATE VIEW public.open_jobs AS SELECT id, state FROM public.jobs WHERE state <> 'failed';
