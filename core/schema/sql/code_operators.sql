-- User operators (not in a system schema, not an extension's), with the CREATE OPERATOR that
-- makes them: FUNCTION, LEFTARG, RIGHTARG, COMMUTATOR, NEGATOR, RESTRICT, JOIN, HASHES, MERGES.
-- A shell operator (no function yet) is left out.
SELECT o.oid::int8 AS oid, n.nspname AS schema, o.oprname AS name,
       CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprleft, NULL) END
         || ', ' || pg_catalog.format_type(o.oprright, NULL) AS arguments,
       'CREATE OPERATOR ' || pg_catalog.quote_ident(n.nspname) || '.' || o.oprname || ' ('
         || 'FUNCTION = ' || o.oprcode::regproc::text
         || CASE WHEN o.oprleft <> 0 THEN ', LEFTARG = ' || pg_catalog.format_type(o.oprleft, NULL) ELSE '' END
         || ', RIGHTARG = ' || pg_catalog.format_type(o.oprright, NULL)
         || CASE WHEN o.oprcom <> 0 THEN ', COMMUTATOR = OPERATOR(' || pg_catalog.quote_ident(cn.nspname) || '.' || co.oprname || ')' ELSE '' END
         || CASE WHEN o.oprnegate <> 0 THEN ', NEGATOR = OPERATOR(' || pg_catalog.quote_ident(nn.nspname) || '.' || no.oprname || ')' ELSE '' END
         || CASE WHEN o.oprrest <> 0 THEN ', RESTRICT = ' || o.oprrest::regproc::text ELSE '' END
         || CASE WHEN o.oprjoin <> 0 THEN ', JOIN = ' || o.oprjoin::regproc::text ELSE '' END
         || CASE WHEN o.oprcanhash THEN ', HASHES' ELSE '' END
         || CASE WHEN o.oprcanmerge THEN ', MERGES' ELSE '' END
         || ');' AS definition
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
LEFT JOIN pg_catalog.pg_operator co ON co.oid = o.oprcom
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.oprnamespace
LEFT JOIN pg_catalog.pg_operator no ON no.oid = o.oprnegate
LEFT JOIN pg_catalog.pg_namespace nn ON nn.oid = no.oprnamespace
WHERE o.oprcode <> 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e')
ORDER BY n.nspname, o.oprname, o.oid
