-- Foreign keys: a chain, a circular pair, actions, MATCH FULL, deferrability, NOT VALID.
CREATE TABLE "Customer" (
    id integer PRIMARY KEY,
    region text,
    UNIQUE (id, region)
);
CREATE TABLE "Order" (
    id integer PRIMARY KEY,
    customer_id integer REFERENCES "Customer" (id),
    region text
);
CREATE TABLE line (
    id integer PRIMARY KEY,
    order_id integer CONSTRAINT line_order_fk REFERENCES "Order" (id) ON DELETE CASCADE
);
CREATE TABLE husband (id integer PRIMARY KEY, wife_id integer);
CREATE TABLE wife (id integer PRIMARY KEY, husband_id integer);
ALTER TABLE husband ADD CONSTRAINT husband_wife FOREIGN KEY (wife_id) REFERENCES wife (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE wife ADD CONSTRAINT wife_husband FOREIGN KEY (husband_id) REFERENCES husband (id);
CREATE TABLE audit (id integer, order_id integer);
ALTER TABLE audit ADD CONSTRAINT audit_order FOREIGN KEY (order_id) REFERENCES "Order" (id) NOT VALID;
