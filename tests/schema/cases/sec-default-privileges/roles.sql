DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dbops_sec_owner') THEN CREATE ROLE dbops_sec_owner; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'Dbops Sec Owner') THEN CREATE ROLE "Dbops Sec Owner"; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'DbopsReader') THEN CREATE ROLE "DbopsReader"; END IF;
END
$$;
