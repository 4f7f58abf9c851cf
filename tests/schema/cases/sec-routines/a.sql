-- Grants, owners and comments on procedures, aggregates and materialized views, and a new column
-- of an existing table with a column grant and a comment.
CREATE TABLE public.ledger (id int PRIMARY KEY, amount numeric);
CREATE MATERIALIZED VIEW public.ledger_sum AS SELECT sum(amount) AS total FROM public.ledger;
CREATE PROCEDURE public.purge(days int) LANGUAGE sql AS 'DELETE FROM public.ledger WHERE id < days';
CREATE AGGREGATE public.total_of(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0');
