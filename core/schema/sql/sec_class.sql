-- Owners and grants of relations (tables, views, materialized views, sequences, composite
-- types' relations). A NULL acl is the defaults: acldefault() writes them out, so NULL and an
-- explicit acl equal to the defaults read the same.
SELECT c.oid::int8 AS oid, c.relkind::text AS relkind, pg_catalog.pg_get_userbyid(c.relowner)::text AS owner,
       pg_catalog.array_to_json(coalesce(c.relacl,
           pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's'::"char" ELSE 'r'::"char" END, c.relowner))::text[])::text AS acl
FROM pg_catalog.pg_class c
WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
