CREATE TABLE public.accounts (id integer PRIMARY KEY, owner name NOT NULL, balance numeric);
CREATE VIEW public.my_accounts AS SELECT id, balance FROM public.accounts WHERE owner = current_user;
CREATE VIEW public.barrier AS SELECT id FROM public.accounts;
CREATE VIEW public.positive WITH (security_barrier = true) AS SELECT id, balance FROM public.accounts WHERE balance > 0;
