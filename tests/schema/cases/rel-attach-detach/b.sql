CREATE TABLE sales (id integer NOT NULL, region text NOT NULL, amount numeric) PARTITION BY LIST (region);
CREATE TABLE sales_eu (id integer NOT NULL, region text NOT NULL, amount numeric);
CREATE TABLE sales_us PARTITION OF sales FOR VALUES IN ('us');
