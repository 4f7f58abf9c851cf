// Schemas, extensions, collations, enums, domains and composite types (issue 13).
#include "core/db/queryresult.h"
#include "core/schema/pgintrospect.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    using namespace catalog;

    namespace
    {

        /// A JSON array the server wrote (json_agg), as compact canonical text (empty: none).
        QString canonicalJson(const QString &text)
        {
            if (text.isEmpty())
                return {};
            const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
            if (array.isEmpty())
                return {};
            return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
        }

        void readSchemas(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject o;
                o.kind = ObjectKind::Schema;
                o.name = rows.text(r, u"name"_s);
                if (!context.wanted(o.name))
                    continue;
                context.add(std::move(o), {kPgNamespace, oidOf(rows, r, u"oid"_s), 0});
            }
        }

        void readExtensions(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject o;
                o.kind = ObjectKind::Extension;
                o.name = rows.text(r, u"name"_s);
                o.attrs.insert(u"schema"_s, rows.text(r, u"schema"_s));
                o.attrs.insert(u"version"_s, rows.text(r, u"version"_s));
                if (!context.wanted(o.attr(u"schema"_s)))
                    continue;
                context.add(std::move(o), {kPgExtension, oidOf(rows, r, u"oid"_s), 0});
            }
        }

        /// What an extension owns is no object of its own; a dependency on it is one on the extension.
        void readExtensionMembers(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject e;
                e.kind = ObjectKind::Extension;
                e.name = rows.text(r, u"extension"_s);
                const QString id = e.id();
                if (!context.object(id))
                    continue;
                context.ownedBy.insert({quint32(rows.value(r, u"classid"_s).toLongLong()), oidOf(rows, r, u"objid"_s),
                                        qint32(rows.value(r, u"objsubid"_s).toLongLong())},
                                       id);
            }
        }

        void readCollations(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject o;
                o.kind = ObjectKind::Collation;
                o.schema = rows.text(r, u"schema"_s);
                o.name = rows.text(r, u"name"_s);
                if (!context.wanted(o.schema))
                    continue;
                for (const QString &k : {u"provider"_s, u"locale"_s, u"lc_collate"_s, u"lc_ctype"_s, u"deterministic"_s})
                    o.attrs.insert(k, rows.text(r, k));
                context.add(std::move(o), {kPgCollation, oidOf(rows, r, u"oid"_s), 0});
            }
        }

        /// A type's array type is not an object: a column of type t[] depends on t.
        void addType(SchemaObject o, const QueryResult &rows, int r, IntrospectContext &context)
        {
            const QString id = o.id();
            context.add(std::move(o), {kPgType, oidOf(rows, r, u"oid"_s), 0});
            if (const quint32 array = oidOf(rows, r, u"array_oid"_s); array != 0)
                context.ownedBy.insert({kPgType, array, 0}, id);
        }

        void readEnums(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject o;
                o.kind = ObjectKind::Enum;
                o.schema = rows.text(r, u"schema"_s);
                o.name = rows.text(r, u"name"_s);
                if (!context.wanted(o.schema))
                    continue;
                o.attrs.insert(u"labels"_s, jsonList(fromJsonList(rows.text(r, u"labels"_s))));
                addType(std::move(o), rows, r, context);
            }
        }

        void readDomains(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject o;
                o.kind = ObjectKind::Domain;
                o.schema = rows.text(r, u"schema"_s);
                o.name = rows.text(r, u"name"_s);
                if (!context.wanted(o.schema))
                    continue;
                o.attrs.insert(u"type"_s, rows.text(r, u"type"_s));
                o.attrs.insert(u"default"_s, rows.text(r, u"default"_s));
                o.attrs.insert(u"not_null"_s, rows.text(r, u"not_null"_s));
                o.attrs.insert(u"collation"_s, rows.text(r, u"collation"_s));
                o.attrs.insert(u"checks"_s, canonicalJson(rows.text(r, u"checks"_s)));
                const QString id = o.id();
                addType(std::move(o), rows, r, context);
                // A domain's constraints live on the domain: what they use, the domain uses.
                for (const QJsonValue &c : QJsonDocument::fromJson(rows.text(r, u"constraint_oids"_s).toUtf8()).array())
                    context.ownedBy.insert({kPgConstraint, quint32(c.toInteger()), 0}, id);
            }
        }

        void readComposites(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject o;
                o.kind = ObjectKind::CompositeType;
                o.schema = rows.text(r, u"schema"_s);
                o.name = rows.text(r, u"name"_s);
                if (!context.wanted(o.schema))
                    continue;
                o.attrs.insert(u"attributes"_s, canonicalJson(rows.text(r, u"attributes"_s)));
                const QString id = o.id();
                addType(std::move(o), rows, r, context);
                // Its relation (and the relation's attributes, by the whole-relation fallback).
                context.ownedBy.insert({kPgClass, oidOf(rows, r, u"relid"_s), 0}, id);
            }
        }
    }

    QList<KindReader> typeReaders()
    {
        return {
            KindReader{u"schema/type_schemas"_s, readSchemas},
            KindReader{u"schema/type_extensions"_s, readExtensions},
            KindReader{u"schema/type_extension_members"_s, readExtensionMembers},
            KindReader{u"schema/type_collations"_s, readCollations},
            KindReader{u"schema/type_enums"_s, readEnums},
            KindReader{u"schema/type_domains"_s, readDomains},
            KindReader{u"schema/type_composites"_s, readComposites},
        };
    }
}
