CREATE TABLE accounts (id integer NOT NULL, tenant integer NOT NULL, name text, PRIMARY KEY (id, tenant)) PARTITION BY HASH (tenant);
CREATE TABLE accounts_0 PARTITION OF accounts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE accounts_1 PARTITION OF accounts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX accounts_name ON accounts (name);
ALTER TABLE accounts ADD CONSTRAINT accounts_tenant_positive CHECK (tenant >= 0);
CREATE TABLE payments (id integer, account_id integer, tenant integer, amount numeric CHECK (amount >= 0),
    FOREIGN KEY (account_id, tenant) REFERENCES accounts (id, tenant));
