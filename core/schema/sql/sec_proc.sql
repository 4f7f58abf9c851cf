-- Owners and grants of functions, procedures and aggregates.
SELECT p.oid::int8 AS oid, pg_catalog.pg_get_userbyid(p.proowner)::text AS owner,
       pg_catalog.array_to_json(coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))::text[])::text AS acl
FROM pg_catalog.pg_proc p
WHERE p.oid >= 16384
