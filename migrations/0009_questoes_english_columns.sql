-- English translations for questions (nullable until the backfill job runs).
ALTER TABLE questoes ADD COLUMN statement_en text;
ALTER TABLE questoes ADD COLUMN source_en varchar(200);
COMMENT ON COLUMN questoes.statement_en IS 'English statement; NULL until translated';
