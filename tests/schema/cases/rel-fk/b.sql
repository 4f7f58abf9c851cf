CREATE TABLE "Customer" (
    id integer PRIMARY KEY,
    region text,
    UNIQUE (id, region)
);
CREATE TABLE "Order" (
    id integer PRIMARY KEY,
    customer_id integer,
    region text,
    CONSTRAINT order_customer_region FOREIGN KEY (customer_id, region) REFERENCES "Customer" (id, region) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL
);
CREATE TABLE line (
    id integer PRIMARY KEY,
    order_id integer CONSTRAINT line_order_fk REFERENCES "Order" (id) ON DELETE RESTRICT
);
CREATE TABLE husband (id integer PRIMARY KEY, wife_id integer);
CREATE TABLE wife (id integer PRIMARY KEY, husband_id integer);
ALTER TABLE husband ADD CONSTRAINT husband_wife FOREIGN KEY (wife_id) REFERENCES wife (id);
ALTER TABLE wife ADD CONSTRAINT wife_husband FOREIGN KEY (husband_id) REFERENCES husband (id) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE audit (id integer, order_id integer);
ALTER TABLE audit ADD CONSTRAINT audit_order FOREIGN KEY (order_id) REFERENCES "Order" (id);
CREATE TABLE extra (id integer PRIMARY KEY, line_id integer REFERENCES line (id), self_id integer REFERENCES extra (id));
