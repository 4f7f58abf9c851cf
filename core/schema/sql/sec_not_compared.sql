-- Kinds dbops does not model, listed as not compared (objects an extension owns are left out on
-- purpose, not listed).
WITH ext AS (SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e')
SELECT 'foreign table'::text AS kind, n.nspname || '.' || c.relname AS name
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'f' AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'foreign data wrapper', w.fdwname::text FROM pg_catalog.pg_foreign_data_wrapper w
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_foreign_data_wrapper'::regclass AND ext.objid = w.oid)
UNION ALL
SELECT 'server', s.srvname::text FROM pg_catalog.pg_foreign_server s
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_foreign_server'::regclass AND ext.objid = s.oid)
UNION ALL
SELECT 'user mapping', m.usename::text || ' for ' || m.srvname::text FROM pg_catalog.pg_user_mappings m
UNION ALL
SELECT 'event trigger', e.evtname::text FROM pg_catalog.pg_event_trigger e
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_event_trigger'::regclass AND ext.objid = e.oid)
UNION ALL
SELECT 'publication', p.pubname::text FROM pg_catalog.pg_publication p
UNION ALL
SELECT 'subscription', s.subname::text FROM pg_catalog.pg_subscription s
WHERE s.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
UNION ALL
SELECT 'text search configuration', n.nspname || '.' || c.cfgname FROM pg_catalog.pg_ts_config c
JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
WHERE c.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_ts_config'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'text search dictionary', n.nspname || '.' || d.dictname FROM pg_catalog.pg_ts_dict d
JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace
WHERE d.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_ts_dict'::regclass AND ext.objid = d.oid)
UNION ALL
SELECT 'text search parser', n.nspname || '.' || p.prsname FROM pg_catalog.pg_ts_parser p
JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace
WHERE p.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_ts_parser'::regclass AND ext.objid = p.oid)
UNION ALL
SELECT 'text search template', n.nspname || '.' || t.tmplname FROM pg_catalog.pg_ts_template t
JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace
WHERE t.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_ts_template'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'conversion', n.nspname || '.' || c.conname FROM pg_catalog.pg_conversion c
JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
WHERE c.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_conversion'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'access method', a.amname::text FROM pg_catalog.pg_am a
WHERE a.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_am'::regclass AND ext.objid = a.oid)
UNION ALL
SELECT 'transform', pg_catalog.format_type(t.trftype, NULL) || ' language ' || l.lanname FROM pg_catalog.pg_transform t
JOIN pg_catalog.pg_language l ON l.oid = t.trflang
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_transform'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'language', l.lanname::text FROM pg_catalog.pg_language l
WHERE l.lanname NOT IN ('plpgsql', 'sql', 'c', 'internal')
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_language'::regclass AND ext.objid = l.oid)
UNION ALL
SELECT 'operator class', n.nspname || '.' || o.opcname || ' using ' || a.amname FROM pg_catalog.pg_opclass o
JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace JOIN pg_catalog.pg_am a ON a.oid = o.opcmethod
WHERE o.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_opclass'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'operator family', n.nspname || '.' || f.opfname || ' using ' || a.amname FROM pg_catalog.pg_opfamily f
JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace JOIN pg_catalog.pg_am a ON a.oid = f.opfmethod
WHERE f.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_opfamily'::regclass AND ext.objid = f.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_opclass o WHERE o.opcfamily = f.oid AND o.opcname = f.opfname AND o.opcmethod = f.opfmethod)
UNION ALL
-- Range, multirange (made with its range, so not listed apart), base and shell types.
SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'b' THEN 'base type' ELSE 'shell type' END,
       n.nspname || '.' || t.typname
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid >= 16384 AND t.typtype IN ('r', 'b', 'p')
  AND t.typelem = 0 -- an array type comes with its element type
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'large object', count(*)::text || ' large objects' FROM pg_catalog.pg_largeobject_metadata m
HAVING count(*) > 0
