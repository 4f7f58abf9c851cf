-- Hash partitions, a partitioned table with a unique key, an FK to a partitioned table, checks.
CREATE TABLE accounts (id integer NOT NULL, tenant integer NOT NULL, PRIMARY KEY (id, tenant)) PARTITION BY HASH (tenant);
CREATE TABLE accounts_0 PARTITION OF accounts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE accounts_1 PARTITION OF accounts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE payments (id integer, account_id integer, tenant integer, amount numeric CHECK (amount > 0));
