CREATE TABLE "Order" (
    id bigint PRIMARY KEY,
    qty bigint DEFAULT 1 NOT NULL,
    code character varying(20) DEFAULT 'x',
    label character varying(50),
    note text,
    amount numeric(12,4) DEFAULT 0,
    big integer,
    "select" integer DEFAULT 42,
    ratio real
);
CREATE INDEX order_qty ON "Order" (qty);
