-- Every dependency between two objects of this database, as (classid, objid, objsubid) ->
-- (refclassid, refobjid, refobjsubid). The reader maps both ends through the addresses the kind
-- readers recorded; rows it cannot map (system objects, objects left out) are dropped there.
-- pinned ('p') rows are system objects; 'e' (extension membership) and 'x' are not ordering
-- edges; 'i' (internal) and 'a' (auto) rows that tie a part to its owner (a column default to its
-- column, an index to its constraint) are kept and mapped to the owner. A view's rows come through
-- its rewrite rule (pg_rewrite), so the rule's address is mapped to the view by the reader.
SELECT d.classid::int8 AS classid, d.objid::int8 AS objid, d.objsubid::int8 AS objsubid,
       d.refclassid::int8 AS refclassid, d.refobjid::int8 AS refobjid, d.refobjsubid::int8 AS refobjsubid,
       d.deptype::text AS deptype
FROM pg_catalog.pg_depend d
WHERE d.deptype NOT IN ('p', 'e', 'x')
  AND d.objid >= 16384 AND d.refobjid >= 16384
  -- Rows that tie a part to its own owner map to one object and are dropped by the reader anyway:
  -- left out here (they are a third of all rows): a column default's (the second query reads what
  -- its expression uses), a foreign key's internal triggers, a type's array and row types, an
  -- index's constraint, a TOAST table's and an identity sequence's owner.
  AND d.classid <> 'pg_catalog.pg_attrdef'::pg_catalog.regclass
  AND NOT (d.deptype = 'i' AND d.classid IN ('pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass))
  AND NOT (d.deptype = 'i' AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
           AND d.refclassid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass))
UNION ALL
-- A column default (pg_attrdef) depends on what its expression uses: seen as the column's.
SELECT 1259, ad.adrelid::int8, ad.adnum::int8, d.refclassid::int8, d.refobjid::int8, d.refobjsubid::int8, 'n'
FROM pg_catalog.pg_attrdef ad
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND d.objid = ad.oid
WHERE d.deptype = 'n' AND d.refobjid >= 16384
UNION ALL
-- A view's rewrite rule depends on what the view reads: seen as the view's.
SELECT 1259, r.ev_class::int8, 0, d.refclassid::int8, d.refobjid::int8, d.refobjsubid::int8, 'n'
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
WHERE r.rulename = '_RETURN' AND d.deptype = 'n' AND d.refobjid >= 16384 AND d.refobjid <> r.ev_class
UNION ALL
-- A partition or an inheritance child depends on its parent.
SELECT 1259, i.inhrelid::int8, 0, 1259, i.inhparent::int8, 0, 'n'
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
WHERE c.relkind IN ('r', 'p', 'f')
