CREATE TABLE public.accounts (id integer PRIMARY KEY, owner name NOT NULL, balance numeric);
CREATE VIEW public.my_accounts WITH (security_invoker = true) AS SELECT id, balance FROM public.accounts WHERE owner = current_user;
CREATE VIEW public.barrier WITH (security_barrier = true, security_invoker = on) AS SELECT id FROM public.accounts;
CREATE VIEW public.positive AS SELECT id, balance FROM public.accounts WHERE balance > 0 WITH CASCADED CHECK OPTION;
