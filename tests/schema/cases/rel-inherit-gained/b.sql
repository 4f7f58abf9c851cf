CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE TABLE public.clicks (id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), url text) INHERITS (public.events);
CREATE TABLE public.views (id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), page text);
