DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'code_app') THEN CREATE ROLE code_app; END IF;
END $$;
