// Tables, columns, constraints, indexes, sequences, partitions and inheritance: one bulk query per
// kind (core/schema/sql/rel_*.sql), turned into SchemaObjects with the attribute keys snapshot.h
// documents. Parts that are not objects of their own (a table's row type and TOAST table, an
// identity's sequence, a constraint's index, a partition's attached index) are recorded in
// ownedBy so that dependencies on them reach their owner.
#include "core/db/queryresult.h"
#include "core/schema/pgintrospect.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    using namespace catalog;

    namespace
    {

        /// A list attribute as jsonList writes it (the server's json_agg spaces differ).
        QString canonicalList(const QString &json)
        {
            return jsonList(fromJsonList(json));
        }

        void readTables(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject t;
                t.kind = ObjectKind::Table;
                t.schema = rows.text(r, u"schema"_s);
                t.name = rows.text(r, u"name"_s);
                if (!context.wanted(t.schema))
                    continue;
                t.attrs.insert(u"persistence"_s, rows.text(r, u"persistence"_s));
                setIf(t, u"partition_by"_s, rows.text(r, u"partition_by"_s));
                setIf(t, u"partition_of"_s, rows.text(r, u"partition_of"_s));
                setIf(t, u"partition_bound"_s, rows.text(r, u"partition_bound"_s));
                setIf(t, u"inherits"_s, canonicalList(rows.text(r, u"inherits"_s)));
                setIf(t, u"reloptions"_s, canonicalList(rows.text(r, u"reloptions"_s)));
                // As stored (pg_dump prints them in this order): information, not compared.
                setIf(t, u"_reloptions_order"_s, canonicalList(rows.text(r, u"reloptions_order"_s)));
                t.attrs.insert(u"replica_identity"_s, rows.text(r, u"replica_identity"_s));
                setIf(t, u"replica_identity_index"_s, rows.text(r, u"replica_identity_index"_s));
                t.attrs.insert(u"rls"_s, rows.text(r, u"rls"_s));
                t.attrs.insert(u"rls_forced"_s, rows.text(r, u"rls_forced"_s));
                t.attrs.insert(u"_rows"_s, rows.text(r, u"rows"_s));
                const QString id = t.id();
                const quint32 oid = oidOf(rows, r, u"oid"_s);
                context.add(std::move(t), {kPgClass, oid, 0});
                for (const QString &part : {u"reltype"_s, u"typarray"_s})
                    if (const quint32 type = oidOf(rows, r, part); type != 0)
                        context.ownedBy.insert({kPgType, type, 0}, id);
                if (const quint32 toast = oidOf(rows, r, u"toast"_s); toast != 0)
                    context.ownedBy.insert({kPgClass, toast, 0}, id);
            }
        }

        void readColumns(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const quint32 relid = oidOf(rows, r, u"relid"_s);
                const qint32 attnum = rows.value(r, u"attnum"_s).toInt();
                SchemaObject *table = context.object(CatalogAddress{kPgClass, relid, 0});
                if (!table)
                    continue; // a table left out (a schema not wanted, an extension's)
                const QString tableId = table->id();
                if (rows.text(r, u"islocal"_s) != u"true"_s)
                {
                    // Comes from a parent: the parent's column is the object.
                    context.ownedBy.insert({kPgClass, relid, attnum}, tableId);
                    continue;
                }
                SchemaObject c;
                c.kind = ObjectKind::Column;
                c.schema = table->schema;
                c.table = table->name;
                c.name = rows.text(r, u"name"_s);
                c.attrs.insert(u"type"_s, rows.text(r, u"type"_s));
                c.attrs.insert(u"not_null"_s, rows.text(r, u"not_null"_s));
                setIf(c, u"default"_s, rows.text(r, u"default"_s));
                setIf(c, u"identity"_s, rows.text(r, u"identity"_s)); // its options: readSequences
                setIf(c, u"generated"_s, rows.text(r, u"generated"_s));
                setIf(c, u"collation"_s, rows.text(r, u"collation"_s));
                setIf(c, u"storage"_s, rows.text(r, u"storage"_s));
                setIf(c, u"statistics"_s, rows.text(r, u"statistics"_s));
                c.attrs.insert(u"_type_storage"_s, rows.text(r, u"type_storage"_s));
                c.attrs.insert(u"_position"_s, QString::number(attnum));
                c.dependsOn << tableId;
                context.add(std::move(c), {kPgClass, relid, attnum});
            }
        }

        void readSequences(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const quint32 oid = oidOf(rows, r, u"oid"_s);
                if (const quint32 rel = oidOf(rows, r, u"identity_rel"_s); rel != 0)
                {
                    // An identity's sequence: the column is the object (its options are the column's).
                    const CatalogAddress column{kPgClass, rel, rows.value(r, u"identity_att"_s).toInt()};
                    if (const auto it = context.ids.constFind(column); it != context.ids.cend())
                    {
                        context.ownedBy.insert({kPgClass, oid, 0}, *it);
                        if (SchemaObject *c = context.object(*it))
                            c->attrs.insert(u"identity_options"_s,
                                            u"START %1 INCREMENT %2 MIN %3 MAX %4 CACHE %5 %6"_s.arg(
                                                rows.text(r, u"start"_s), rows.text(r, u"increment"_s), rows.text(r, u"min"_s),
                                                rows.text(r, u"max"_s), rows.text(r, u"cache"_s),
                                                rows.text(r, u"cycle"_s) == u"true"_s ? u"CYCLE"_s : u"NO CYCLE"_s));
                    }
                    else if (const auto t = context.ids.constFind(CatalogAddress{kPgClass, rel, 0}); t != context.ids.cend())
                        context.ownedBy.insert({kPgClass, oid, 0}, *t);
                    continue;
                }
                SchemaObject s;
                s.kind = ObjectKind::Sequence;
                s.schema = rows.text(r, u"schema"_s);
                s.name = rows.text(r, u"name"_s);
                if (!context.wanted(s.schema))
                    continue;
                for (const QString &key : {u"type"_s, u"start"_s, u"increment"_s, u"min"_s, u"max"_s, u"cache"_s, u"cycle"_s})
                    s.attrs.insert(key, rows.text(r, key));
                setIf(s, u"owned_by"_s, rows.text(r, u"owned_by"_s));
                context.add(std::move(s), {kPgClass, oid, 0});
            }
        }

        void readConstraints(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const quint32 relid = oidOf(rows, r, u"relid"_s);
                if (!context.object(CatalogAddress{kPgClass, relid, 0}))
                    continue;
                SchemaObject k;
                k.kind = ObjectKind::Constraint;
                k.schema = rows.text(r, u"schema"_s);
                k.table = rows.text(r, u"table"_s);
                k.name = rows.text(r, u"name"_s);
                for (const QString &key : {u"type"_s, u"definition"_s, u"validated"_s, u"deferrable"_s, u"deferred"_s})
                    k.attrs.insert(key, rows.text(r, key));
                setIf(k, u"index"_s, rows.text(r, u"index"_s));
                // An FK needs its referenced table (and, through pg_depend, the key it references).
                if (const QString refSchema = rows.text(r, u"ref_schema"_s); !refSchema.isEmpty())
                {
                    SchemaObject ref;
                    ref.kind = ObjectKind::Table;
                    ref.schema = refSchema;
                    ref.name = rows.text(r, u"ref_table"_s);
                    if (ref.schema != k.schema || ref.name != k.table)
                        k.dependsOn << ref.id();
                }
                const QString id = k.id();
                context.add(std::move(k), {kPgConstraint, oidOf(rows, r, u"oid"_s), 0});
                if (const quint32 index = oidOf(rows, r, u"indexoid"_s); index != 0)
                    context.ownedBy.insert({kPgClass, index, 0}, id);
            }
        }

        void readIndexes(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const quint32 oid = oidOf(rows, r, u"oid"_s);
                if (rows.text(r, u"owned"_s) == u"true"_s)
                    continue; // the constraint's (ownedBy recorded by readConstraints)
                SchemaObject i;
                i.kind = ObjectKind::Index;
                i.schema = rows.text(r, u"schema"_s);
                i.table = rows.text(r, u"table"_s);
                i.name = rows.text(r, u"name"_s);
                if (!context.wanted(i.schema))
                    continue;
                if (rows.text(r, u"attached"_s) == u"true"_s)
                {
                    // A partition's index attached to its parent's: created with the parent's.
                    SchemaObject table;
                    table.kind = ObjectKind::Table;
                    table.schema = i.schema;
                    table.name = i.table;
                    context.ownedBy.insert({kPgClass, oid, 0}, table.id());
                    continue;
                }
                i.attrs.insert(u"definition"_s, rows.text(r, u"definition"_s));
                i.attrs.insert(u"primary"_s, rows.text(r, u"primary"_s));
                i.attrs.insert(u"unique"_s, rows.text(r, u"unique"_s));
                if (rows.text(r, u"relkind"_s) != u"m"_s)
                {
                    SchemaObject table;
                    table.kind = ObjectKind::Table;
                    table.schema = i.schema;
                    table.name = i.table;
                    i.dependsOn << table.id();
                }
                context.add(std::move(i), {kPgClass, oid, 0});
            }
        }
    }

    QList<KindReader> relationReaders()
    {
        return {
            KindReader{u"schema/rel_tables"_s, readTables},       KindReader{u"schema/rel_columns"_s, readColumns},
            KindReader{u"schema/rel_sequences"_s, readSequences}, KindReader{u"schema/rel_constraints"_s, readConstraints},
            KindReader{u"schema/rel_indexes"_s, readIndexes},
        };
    }
}
