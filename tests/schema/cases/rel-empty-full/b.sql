CREATE SEQUENCE "Invoice No" AS integer START WITH 1000 INCREMENT BY 10 CACHE 5;
CREATE TABLE "Customer" (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10) PRIMARY KEY,
    "Email" text COLLATE "C" NOT NULL,
    "select" text DEFAULT 'x',
    payload text,
    CONSTRAINT customer_email UNIQUE NULLS NOT DISTINCT ("Email")
) WITH (fillfactor = 90);
ALTER TABLE "Customer" ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE "Customer" ALTER COLUMN "select" SET STATISTICS 200;
ALTER TABLE "Customer" ENABLE ROW LEVEL SECURITY;
CREATE TABLE "Order" (
    id serial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES "Customer" (id) ON DELETE CASCADE DEFERRABLE,
    invoice integer DEFAULT nextval('"Invoice No"'),
    total numeric(12,2) CHECK (total >= 0),
    net numeric(12,2),
    gross numeric GENERATED ALWAYS AS (net * 1.2) STORED,
    during int4range,
    EXCLUDE USING gist (during WITH &&)
);
ALTER SEQUENCE "Invoice No" OWNED BY "Order".invoice;
CREATE INDEX order_customer ON "Order" (customer_id) INCLUDE (total) WHERE total > 0;
CREATE INDEX order_lower ON "Order" ((total * 2));
CREATE TABLE a_ring (id integer PRIMARY KEY, b_id integer);
CREATE TABLE b_ring (id integer PRIMARY KEY, a_id integer REFERENCES a_ring (id));
ALTER TABLE a_ring ADD CONSTRAINT a_ring_b FOREIGN KEY (b_id) REFERENCES b_ring (id);
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text);
ALTER TABLE cache REPLICA IDENTITY FULL;
CREATE TABLE log (id integer NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE log_2025 PARTITION OF log FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (id);
CREATE TABLE log_2025_1 PARTITION OF log_2025 FOR VALUES IN (1);
CREATE TABLE log_rest PARTITION OF log DEFAULT;
CREATE INDEX log_at ON log (at);
CREATE TABLE base (id integer, note text);
CREATE TABLE child (extra integer) INHERITS (base);
