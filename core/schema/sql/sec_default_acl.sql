-- Default privileges (ALTER DEFAULT PRIVILEGES). A global entry (no schema) replaces the
-- built-in defaults, given in "defaults" so an entry equal to them reads as none; an entry IN
-- SCHEMA adds to the global one.
SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text AS role, coalesce(n.nspname::text, '') AS schema,
       d.defaclobjtype::text AS objtype,
       pg_catalog.array_to_json(d.defaclacl::text[])::text AS acl,
       pg_catalog.array_to_json(pg_catalog.acldefault(
           CASE d.defaclobjtype WHEN 'S' THEN 's' WHEN 'T' THEN 'T' WHEN 'f' THEN 'f' WHEN 'n' THEN 'n' ELSE 'r' END::"char",
           d.defaclrole)::text[])::text AS defaults
FROM pg_catalog.pg_default_acl d
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
