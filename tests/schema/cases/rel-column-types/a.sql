-- Column type changes in place: widening, narrowing, casts that need USING, defaults around them.
CREATE TABLE "Order" (
    id integer PRIMARY KEY,
    qty integer DEFAULT 1 NOT NULL,
    code text DEFAULT 'x',
    label character varying(10),
    note character varying(10),
    amount numeric(10,2) DEFAULT 0,
    big bigint,
    "select" text DEFAULT '42',
    ratio double precision
);
CREATE INDEX order_qty ON "Order" (qty);
