-- Whether the history table $1 (its quoted, qualified name) has the `note` column adopt adds.
SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'note' AND NOT attisdropped)
