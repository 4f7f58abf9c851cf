DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'DbopsTypeReader') THEN CREATE ROLE "DbopsTypeReader"; END IF;
END
$$;
