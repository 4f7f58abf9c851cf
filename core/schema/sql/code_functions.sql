-- Functions, procedures, window functions and aggregates (pg_proc.prokind f|p|w|a) outside the
-- system schemas and not members of an extension. The definition is pg_get_functiondef for
-- f/p/w and a CREATE AGGREGATE built here for a (pg_get_functiondef refuses aggregates);
-- arguments_full (names and defaults) tells whether CREATE OR REPLACE can keep the function.
SELECT p.oid::int8 AS oid, n.nspname AS schema, p.proname AS name, p.prokind::text AS kind,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments_full,
       coalesce(pg_catalog.pg_get_function_result(p.oid), '') AS result,
       l.lanname AS language,
       CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid)
       ELSE 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
            || '(' || CASE WHEN p.pronargs = 0 AND a.aggkind = 'n' THEN '*'
                           ELSE pg_catalog.pg_get_function_arguments(p.oid) END || ') ('
            || 'SFUNC = ' || a.aggtransfn::regproc::text
            || ', STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL)
            || CASE WHEN a.aggtransspace <> 0 THEN ', SSPACE = ' || a.aggtransspace ELSE '' END
            || CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::regproc::text ELSE '' END
            || CASE WHEN a.aggfinalextra THEN ', FINALFUNC_EXTRA' ELSE '' END
            || CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                    THEN ', FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE'
                                                    ELSE 'READ_WRITE' END ELSE '' END
            || CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::regproc::text ELSE '' END
            || CASE WHEN a.aggserialfn <> 0 THEN ', SERIALFUNC = ' || a.aggserialfn::regproc::text ELSE '' END
            || CASE WHEN a.aggdeserialfn <> 0 THEN ', DESERIALFUNC = ' || a.aggdeserialfn::regproc::text ELSE '' END
            || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || pg_catalog.quote_literal(a.agginitval) ELSE '' END
            || CASE WHEN a.aggmtransfn <> 0 THEN ', MSFUNC = ' || a.aggmtransfn::regproc::text
                    || ', MINVFUNC = ' || a.aggminvtransfn::regproc::text
                    || ', MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) ELSE '' END
            || CASE WHEN a.aggmtransspace <> 0 THEN ', MSSPACE = ' || a.aggmtransspace ELSE '' END
            || CASE WHEN a.aggmfinalfn <> 0 THEN ', MFINALFUNC = ' || a.aggmfinalfn::regproc::text ELSE '' END
            || CASE WHEN a.aggmfinalextra THEN ', MFINALFUNC_EXTRA' ELSE '' END
            || CASE WHEN a.aggminitval IS NOT NULL THEN ', MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval) ELSE '' END
            || CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = OPERATOR(' || pg_catalog.quote_ident(son.nspname) || '.' || so.oprname || ')' ELSE '' END
            || CASE p.proparallel WHEN 's' THEN ', PARALLEL = SAFE' WHEN 'r' THEN ', PARALLEL = RESTRICTED' ELSE '' END
            || CASE WHEN a.aggkind = 'h' THEN ', HYPOTHETICAL' ELSE '' END
            || ');'
       END AS definition
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_catalog.pg_operator so ON so.oid = a.aggsortop
LEFT JOIN pg_catalog.pg_namespace son ON son.oid = so.oprnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY n.nspname, p.proname, p.oid
