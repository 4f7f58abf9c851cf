-- A small schema of the common kinds, created from nothing (and dropped back to nothing).
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total numeric(12, 2) CHECK (total >= 0)
);
CREATE INDEX orders_customer ON orders (customer_id);
