-- Owners and grants of types (enums, domains, composite types).
SELECT t.oid::int8 AS oid, pg_catalog.pg_get_userbyid(t.typowner)::text AS owner,
       pg_catalog.array_to_json(coalesce(t.typacl, pg_catalog.acldefault('T', t.typowner))::text[])::text AS acl
FROM pg_catalog.pg_type t
WHERE t.oid >= 16384 AND t.typtype IN ('e', 'd', 'c', 'b', 'r', 'm')
