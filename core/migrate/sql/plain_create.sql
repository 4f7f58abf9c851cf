CREATE TABLE IF NOT EXISTS ${table} (${key} text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())
-- A plain history (one row per file). <table>: schema-qualified and quoted; <key>: its key column, quoted.
