CREATE TABLE public.accounts (id integer NOT NULL, code text NOT NULL, note text);
CREATE UNIQUE INDEX accounts_code_key ON public.accounts (code);
ALTER TABLE public.accounts REPLICA IDENTITY USING INDEX accounts_code_key;
CREATE TABLE public.ledger (id integer PRIMARY KEY, amount numeric NOT NULL);
