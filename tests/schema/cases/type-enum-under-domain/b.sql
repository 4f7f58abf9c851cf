CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN public.known_mood AS public.mood NOT NULL;
CREATE TABLE public.people (id integer PRIMARY KEY, mood public.known_mood);
CREATE VIEW public.cheerful AS SELECT id FROM public.people WHERE mood::public.mood = 'happy';
INSERT INTO public.people VALUES (1, 'sad'), (2, 'happy');
