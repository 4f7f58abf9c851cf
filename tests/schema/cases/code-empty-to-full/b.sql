CREATE SCHEMA shop;
CREATE TYPE shop.cents AS (v bigint);
CREATE TABLE shop.customer (id integer PRIMARY KEY, name text NOT NULL, tier integer DEFAULT 0);
CREATE TABLE shop."order" (id integer PRIMARY KEY, customer_id integer REFERENCES shop.customer, amount numeric(12,2), placed timestamptz DEFAULT now());
CREATE FUNCTION shop.amount_with_tax(a numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN a * 1.2;
CREATE FUNCTION shop.cents_eq(shop.cents, shop.cents) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.v = $2.v $$;
CREATE FUNCTION shop.cents_text(shop.cents) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1.v::text $$;
CREATE OPERATOR shop.== (FUNCTION = shop.cents_eq, LEFTARG = shop.cents, RIGHTARG = shop.cents, COMMUTATOR = OPERATOR(shop.==));
CREATE CAST (shop.cents AS text) WITH FUNCTION shop.cents_text(shop.cents);
CREATE AGGREGATE shop.total(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0');
CREATE VIEW shop.customer_orders AS
  SELECT c.id, c.name, count(o.id) AS orders, shop.total(o.amount) AS spent
  FROM shop.customer c LEFT JOIN shop."order" o ON o.customer_id = c.id GROUP BY c.id, c.name;
CREATE VIEW shop.big_customers WITH (security_barrier = true) AS SELECT id, name FROM shop.customer_orders WHERE spent > 1000;
CREATE MATERIALIZED VIEW shop.daily AS SELECT date_trunc('day', placed) AS day, sum(shop.amount_with_tax(amount)) AS gross FROM shop."order" GROUP BY 1;
CREATE UNIQUE INDEX daily_day ON shop.daily (day);
CREATE FUNCTION shop.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.placed := now(); RETURN NEW; END $$;
CREATE TRIGGER order_stamp BEFORE INSERT ON shop."order" FOR EACH ROW WHEN (NEW.placed IS NULL) EXECUTE FUNCTION shop.stamp();
CREATE PROCEDURE shop.purge(days integer) LANGUAGE sql AS $$ DELETE FROM shop."order" WHERE placed < now() - make_interval(days => days) $$;
ALTER TABLE shop.customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY customer_tier ON shop.customer FOR SELECT TO code_app USING (tier >= 0);
CREATE RULE no_delete AS ON DELETE TO shop.customer DO INSTEAD NOTHING;
CREATE STATISTICS shop.order_stats (dependencies) ON customer_id, amount FROM shop."order";
