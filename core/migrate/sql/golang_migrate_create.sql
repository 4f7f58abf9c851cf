CREATE TABLE IF NOT EXISTS ${table} (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)
-- golang-migrate's table. <table>: the history, schema-qualified and quoted.
