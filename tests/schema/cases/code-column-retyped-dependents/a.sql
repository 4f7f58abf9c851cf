CREATE TABLE public.events (
    id integer PRIMARY KEY,
    score integer NOT NULL,
    label varchar(10),
    doubled integer GENERATED ALWAYS AS (score * 2) STORED
);
CREATE VIEW public.v_scores AS SELECT id, score FROM public.events;
CREATE MATERIALIZED VIEW public.m_scores AS SELECT score, count(*) AS n FROM public.events GROUP BY score;
CREATE INDEX m_scores_score ON public.m_scores (score);
ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY high_scores ON public.events FOR SELECT USING (score > 10);
CREATE FUNCTION public.on_event() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER big_score BEFORE UPDATE ON public.events FOR EACH ROW WHEN (NEW.score > 100) EXECUTE FUNCTION public.on_event();
CREATE RULE no_negative AS ON INSERT TO public.events WHERE NEW.score < 0 DO INSTEAD NOTHING;
