-- Owners of the kinds without grants: collations, operators, extended statistics.
SELECT 3456::int8 AS classid, c.oid::int8 AS oid, pg_catalog.pg_get_userbyid(c.collowner)::text AS owner
FROM pg_catalog.pg_collation c WHERE c.oid >= 16384
UNION ALL
SELECT 2617, o.oid::int8, pg_catalog.pg_get_userbyid(o.oprowner)::text
FROM pg_catalog.pg_operator o WHERE o.oid >= 16384
UNION ALL
SELECT 3381, s.oid::int8, pg_catalog.pg_get_userbyid(s.stxowner)::text
FROM pg_catalog.pg_statistic_ext s WHERE s.oid >= 16384
