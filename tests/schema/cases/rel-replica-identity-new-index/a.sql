CREATE TABLE public.accounts (id integer NOT NULL, code text NOT NULL, note text);
CREATE TABLE public.ledger (id integer PRIMARY KEY, amount numeric NOT NULL);
ALTER TABLE public.ledger REPLICA IDENTITY FULL;
