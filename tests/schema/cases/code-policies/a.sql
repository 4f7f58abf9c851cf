CREATE TABLE public.docs (id integer PRIMARY KEY, owner text NOT NULL, team integer, secret boolean DEFAULT false);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own ON public.docs FOR SELECT TO code_reader USING (owner = current_user);
CREATE POLICY write_team ON public.docs FOR INSERT TO "Code Writer" WITH CHECK (team IS NOT NULL);
CREATE POLICY upd ON public.docs FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY del ON public.docs FOR DELETE TO code_admin USING (true);
CREATE POLICY no_secret ON public.docs AS RESTRICTIVE FOR SELECT USING (NOT secret);
CREATE POLICY everything ON public.docs TO code_admin USING (true);
CREATE TABLE public.plain (id integer);
