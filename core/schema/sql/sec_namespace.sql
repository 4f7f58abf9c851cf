-- Owners and grants of schemas.
SELECT n.oid::int8 AS oid, pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner,
       pg_catalog.array_to_json(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))::text[])::text AS acl
FROM pg_catalog.pg_namespace n
