DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'code_reader') THEN CREATE ROLE code_reader; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'Code Writer') THEN CREATE ROLE "Code Writer"; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'code_admin') THEN CREATE ROLE code_admin; END IF;
END $$;
