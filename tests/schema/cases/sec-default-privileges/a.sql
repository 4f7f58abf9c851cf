-- Default privileges: global and in a schema, for tables, sequences, functions, types and
-- schemas, granted and revoked, to mixed-case roles.
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES FOR ROLE dbops_sec_owner IN SCHEMA app GRANT SELECT ON TABLES TO "DbopsReader";
