// Owners, grants, comments and default privileges of every kind, and the kinds not compared
// (issue 13). These readers run after every other: they add attributes to the objects already read,
// found by their catalog address.
#include "core/db/queryresult.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/rules.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    using namespace catalog;

    namespace
    {

        /// The acl as compared: the items' text, sorted (the server's order is its history).
        QString sortedAcl(const QString &json)
        {
            QStringList items;
            for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
                items << v.toString();
            items.sort();
            return jsonList(items);
        }

        void setOwnerAndAcl(SchemaObject *o, const QueryResult &rows, int r)
        {
            if (!o || !hasOwnOwner(o->kind))
                return;
            o->attrs.insert(u"owner"_s, rows.text(r, u"owner"_s));
            if (rows.columnIndex(u"acl"_s) >= 0)
                o->attrs.insert(u"acl"_s, sortedAcl(rows.text(r, u"acl"_s)));
        }

        KindReader ownerReader(const QString &resource, quint32 classid)
        {
            return KindReader{resource, [classid](const QueryResult &rows, IntrospectContext &context) {
                                  for (int r = 0; r < rows.rowCount(); ++r)
                                      setOwnerAndAcl(context.object(CatalogAddress{classid, oidOf(rows, r, u"oid"_s), 0}), rows, r);
                              }};
        }

        void readOwners(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
                setOwnerAndAcl(context.object(CatalogAddress{oidOf(rows, r, u"classid"_s), oidOf(rows, r, u"oid"_s), 0}), rows, r);
        }

        void readColumnAcl(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject *o =
                    context.object(CatalogAddress{kPgClass, oidOf(rows, r, u"relid"_s), qint32(rows.value(r, u"attnum"_s).toLongLong())});
                if (o && o->kind == ObjectKind::Column)
                    o->attrs.insert(u"acl"_s, sortedAcl(rows.text(r, u"acl"_s)));
            }
        }

        void readComments(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const CatalogAddress at{oidOf(rows, r, u"classid"_s), oidOf(rows, r, u"oid"_s),
                                        qint32(rows.value(r, u"subid"_s).toLongLong())};
                if (SchemaObject *o = context.object(at))
                {
                    o->attrs.insert(u"comment"_s, rows.text(r, u"comment"_s));
                    continue;
                }
                // A domain's constraint or a composite type's attribute: kept on its owner, as
                // "part_comments" {part name: comment}.
                const QString part = rows.text(r, u"part"_s);
                if (part.isEmpty())
                    continue;
                auto owner = context.ownedBy.constFind(at.subid ? CatalogAddress{at.classid, at.objid, 0} : at);
                if (owner == context.ownedBy.cend())
                    continue;
                if (SchemaObject *o = context.object(*owner))
                {
                    QJsonObject parts = QJsonDocument::fromJson(o->attr(u"part_comments"_s).toUtf8()).object();
                    parts.insert(part, rows.text(r, u"comment"_s));
                    o->attrs.insert(u"part_comments"_s, QString::fromUtf8(QJsonDocument(parts).toJson(QJsonDocument::Compact)));
                }
            }
        }

        QString objectTypeWords(const QString &objtype)
        {
            if (objtype == u"S"_s)
                return u"sequences"_s;
            if (objtype == u"f"_s)
                return u"functions"_s;
            if (objtype == u"T"_s)
                return u"types"_s;
            if (objtype == u"n"_s)
                return u"schemas"_s;
            return u"tables"_s;
        }

        /// One object per (role, schema, object type). A global entry equal to the built-in
        /// defaults is none (the same as no entry).
        void readDefaultAcl(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const QString role = rows.text(r, u"role"_s), schema = rows.text(r, u"schema"_s);
                if (!schema.isEmpty() && !context.wanted(schema))
                    continue;
                QString acl = sortedAcl(rows.text(r, u"acl"_s));
                if (schema.isEmpty() && acl == sortedAcl(rows.text(r, u"defaults"_s)))
                    continue;
                if (schema.isEmpty() && acl.isEmpty())
                    acl = u"[]"_s; // every default revoked: not the same as no entry
                const QString on = objectTypeWords(rows.text(r, u"objtype"_s));
                SchemaObject o;
                o.kind = ObjectKind::DefaultPrivileges;
                o.name = schema.isEmpty() ? u"%1 on %2"_s.arg(role, on) : u"%1 in %2 on %3"_s.arg(role, schema, on);
                o.attrs.insert(u"acl"_s, acl);
                o.attrs.insert(u"_role"_s, role);
                o.attrs.insert(u"_in_schema"_s, schema);
                o.attrs.insert(u"_on"_s, on);
                o.attrs.insert(u"_defaults"_s, schema.isEmpty() ? sortedAcl(rows.text(r, u"defaults"_s)) : QString());
                if (!schema.isEmpty())
                    o.dependsOn << u"schema:"_s + schema; // IN SCHEMA needs the schema
                if (context.object(o.id()))
                    continue;
                // No catalog address of its own that anything depends on: a unique fake one.
                const CatalogAddress at{826, quint32(0xFFFF0000u + quint32(r)), 0};
                context.add(std::move(o), at);
            }
        }

        void readNotCompared(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
                context.snapshot.notCompared << NotCompared{rows.text(r, u"kind"_s), rows.text(r, u"name"_s), u"not modelled by dbops"_s};
        }
    }

    QList<KindReader> privilegeReaders()
    {
        return {
            ownerReader(u"schema/sec_class"_s, kPgClass),         KindReader{u"schema/sec_columns"_s, readColumnAcl},
            ownerReader(u"schema/sec_proc"_s, kPgProc),           ownerReader(u"schema/sec_type"_s, kPgType),
            ownerReader(u"schema/sec_namespace"_s, kPgNamespace), KindReader{u"schema/sec_owners"_s, readOwners},
            KindReader{u"schema/sec_comments"_s, readComments},   KindReader{u"schema/sec_default_acl"_s, readDefaultAcl},
        };
    }

    QList<KindReader> notComparedReaders()
    {
        return {KindReader{u"schema/sec_not_compared"_s, readNotCompared}};
    }
}
