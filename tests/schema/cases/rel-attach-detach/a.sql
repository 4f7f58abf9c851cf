-- A plain table attached as a partition, a partition detached into a plain table.
CREATE TABLE sales (id integer NOT NULL, region text NOT NULL, amount numeric) PARTITION BY LIST (region);
CREATE TABLE sales_eu PARTITION OF sales FOR VALUES IN ('eu');
CREATE TABLE sales_us (id integer NOT NULL, region text NOT NULL, amount numeric);
