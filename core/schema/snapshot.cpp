#include "core/schema/snapshot.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <numeric>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        struct KindName
        {
            ObjectKind kind;
            const char16_t *name;
        };
        constexpr std::array kKindNames{
            KindName{ObjectKind::Schema, u"schema"},
            KindName{ObjectKind::Extension, u"extension"},
            KindName{ObjectKind::Collation, u"collation"},
            KindName{ObjectKind::Enum, u"enum"},
            KindName{ObjectKind::Domain, u"domain"},
            KindName{ObjectKind::CompositeType, u"composite type"},
            KindName{ObjectKind::Sequence, u"sequence"},
            KindName{ObjectKind::Table, u"table"},
            KindName{ObjectKind::Column, u"column"},
            KindName{ObjectKind::Constraint, u"constraint"},
            KindName{ObjectKind::Index, u"index"},
            KindName{ObjectKind::View, u"view"},
            KindName{ObjectKind::MaterializedView, u"materialized view"},
            KindName{ObjectKind::Function, u"function"},
            KindName{ObjectKind::Operator, u"operator"},
            KindName{ObjectKind::Cast, u"cast"},
            KindName{ObjectKind::Trigger, u"trigger"},
            KindName{ObjectKind::Policy, u"policy"},
            KindName{ObjectKind::Rule, u"rule"},
            KindName{ObjectKind::Statistics, u"statistics"},
            KindName{ObjectKind::DefaultPrivileges, u"default privileges"},
        };

        // PostgreSQL's keywords that quote_ident quotes (reserved, type/function-name and
        // column-name keywords): a name spelled like one is quoted even when lower-case.
        const QStringList &quotedKeywords()
        {
            static const QStringList words = [] {
                QStringList w = u"all analyse analyze and any array as asc asymmetric authorization between bigint binary bit "
                                "boolean both case cast char character check coalesce collate collation column concurrently "
                                "constraint create cross current_catalog current_date current_role current_schema current_time "
                                "current_timestamp current_user dec decimal default deferrable desc distinct do else end except "
                                "exists extract false fetch float for foreign freeze from full grant greatest group grouping "
                                "having ilike in initially inner inout int integer intersect interval into is isnull join "
                                "json json_array json_arrayagg json_object json_objectagg lateral leading least left like limit "
                                "localtime localtimestamp national natural nchar none normalize not notnull null nullif numeric "
                                "offset on only or order out outer overlaps overlay placing position precision primary real "
                                "references returning right row select session_user setof similar smallint some substring "
                                "symmetric system_user table tablesample then time timestamp to trailing treat trim true union "
                                "unique user using values varchar variadic verbose when where window with xmlattributes "
                                "xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize "
                                "xmltable"_s.split(u' ');
                w.sort();
                return w;
            }();
            return words;
        }

        /// Appends the non-empty parts to `out`, separated by `separator`.
        void appendParts(QString &out, std::initializer_list<const QString *> parts, QChar separator)
        {
            bool first = true;
            for (const QString *p : parts)
            {
                if (p->isEmpty())
                    continue;
                if (!first)
                    out += separator;
                out += *p;
                first = false;
            }
        }

        QStringView kindName(ObjectKind kind)
        {
            for (const KindName &k : kKindNames)
                if (k.kind == kind)
                    return QStringView(k.name);
            return u"object";
        }

        Error badSnapshot(const QString &what)
        {
            return Error::make(ErrorCode::BadInput, u"not a dbops schema snapshot: "_s + what);
        }
    }

    QString toString(ObjectKind kind)
    {
        return kindName(kind).toString();
    }

    std::optional<ObjectKind> kindFromString(const QString &text)
    {
        for (const KindName &k : kKindNames)
            if (text == QStringView(k.name))
                return k.kind;
        return std::nullopt;
    }

    QList<ObjectKind> allKinds()
    {
        QList<ObjectKind> kinds;
        for (const KindName &k : kKindNames)
            kinds << k.kind;
        return kinds;
    }

    QString quoteIdent(const QString &identifier)
    {
        static const QRegularExpression plain(u"^[a-z_][a-z0-9_$]*$"_s);
        if (plain.match(identifier).hasMatch() && !std::binary_search(quotedKeywords().cbegin(), quotedKeywords().cend(), identifier))
            return identifier;
        QString quoted = identifier;
        quoted.replace(u'"', u"\"\""_s);
        return u'"' + quoted + u'"';
    }

    QString jsonList(const QStringList &items)
    {
        if (items.isEmpty())
            return {};
        return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(items)).toJson(QJsonDocument::Compact));
    }

    QStringList fromJsonList(const QString &text)
    {
        if (text.isEmpty())
            return {};
        QStringList items;
        for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
            items << (v.isString() ? v.toString() : QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)));
        return items;
    }

    QString SchemaObject::id() const
    {
        const QStringView kindText = kindName(kind);
        QString id;
        id.reserve(kindText.size() + schema.size() + table.size() + name.size() + arguments.size() + 6);
        id += kindText;
        id += u':';
        appendParts(id, {&schema, &table, &name}, u'.');
        if (kind == ObjectKind::Function || kind == ObjectKind::Operator)
        {
            id += u'(';
            id += arguments;
            id += u')';
        }
        return id;
    }

    QString SchemaObject::sqlTable() const
    {
        return quoteIdent(schema) + u'.' + quoteIdent(table);
    }

    QString SchemaObject::sqlName() const
    {
        switch (kind)
        {
        case ObjectKind::Schema:
        case ObjectKind::Extension:
        case ObjectKind::Column:
        case ObjectKind::Constraint:
        case ObjectKind::Trigger:
        case ObjectKind::Policy:
        case ObjectKind::Rule:
            return quoteIdent(name);
        case ObjectKind::Function:
            return quoteIdent(schema) + u'.' + quoteIdent(name) + u'(' + arguments + u')';
        case ObjectKind::Cast:
        case ObjectKind::DefaultPrivileges:
            return name;
        case ObjectKind::Operator:
            return quoteIdent(schema) + u'.' + name + u" (" + arguments + u')';
        default:
            return quoteIdent(schema) + u'.' + quoteIdent(name);
        }
    }

    QString SchemaObject::displayName() const
    {
        QString shown;
        appendParts(shown, {&schema, &table, &name}, u'.');
        if (kind == ObjectKind::Function || kind == ObjectKind::Operator)
            shown += u'(' + arguments + u')';
        return shown;
    }

    void Snapshot::finish()
    {
        // Each id is made once (an id is a few allocations; a sort would make it 2 n log n times).
        QStringList ids;
        ids.reserve(objects.size());
        for (const SchemaObject &o : objects)
            ids << o.id();
        if (!std::is_sorted(ids.cbegin(), ids.cend()))
        {
            QList<qsizetype> order(objects.size());
            std::iota(order.begin(), order.end(), 0);
            std::sort(order.begin(), order.end(), [&ids](qsizetype a, qsizetype b) { return ids[a] < ids[b]; });
            QList<SchemaObject> sorted;
            QStringList sortedIds;
            sorted.reserve(objects.size());
            sortedIds.reserve(objects.size());
            for (const qsizetype i : order)
            {
                sorted << std::move(objects[i]);
                sortedIds << std::move(ids[i]);
            }
            objects = std::move(sorted);
            ids = std::move(sortedIds);
        }
        std::sort(notCompared.begin(), notCompared.end(),
                  [](const NotCompared &a, const NotCompared &b) { return std::tie(a.kind, a.name) < std::tie(b.kind, b.name); });
        m_index.clear();
        m_dependents.clear();
        m_index.reserve(objects.size());
        for (qsizetype i = 0; i < objects.size(); ++i)
            m_index.insert(ids[i], i);
        m_parts.clear();
        m_byKind.clear();
        for (qsizetype i = 0; i < objects.size(); ++i)
        {
            const SchemaObject &o = objects[i];
            for (const QString &needed : o.dependsOn)
                m_dependents[needed] << ids[i];
            if (!o.table.isEmpty())
                m_parts[o.schema + QChar(0x1f) + o.table] << i;
            m_byKind[o.kind] << i;
        }
    }

    const SchemaObject *Snapshot::find(const QString &id) const
    {
        const auto it = m_index.constFind(id);
        return it == m_index.cend() ? nullptr : &objects[*it];
    }

    SchemaObject *Snapshot::find(const QString &id)
    {
        const auto it = m_index.constFind(id);
        return it == m_index.cend() ? nullptr : &objects[*it];
    }

    QList<const SchemaObject *> Snapshot::partsOf(const QString &schema, const QString &table) const
    {
        QList<const SchemaObject *> parts;
        for (const qsizetype i : m_parts.value(schema + QChar(0x1f) + table))
            parts << &objects[i];
        return parts;
    }

    QList<const SchemaObject *> Snapshot::ofKind(ObjectKind kind) const
    {
        QList<const SchemaObject *> list;
        for (const qsizetype i : m_byKind.value(kind))
            list << &objects[i];
        return list;
    }

    QStringList Snapshot::dependents(const QString &id) const
    {
        return m_dependents.value(id);
    }

    QJsonObject Snapshot::toJson() const
    {
        QJsonArray objs;
        for (const SchemaObject &o : objects)
        {
            QJsonObject attrs;
            for (auto it = o.attrs.cbegin(); it != o.attrs.cend(); ++it)
                attrs.insert(it.key(), it.value());
            QJsonObject j{{u"kind"_s, toString(o.kind)}, {u"attributes"_s, attrs}};
            if (!o.schema.isEmpty())
                j.insert(u"schema"_s, o.schema);
            if (!o.table.isEmpty())
                j.insert(u"table"_s, o.table);
            j.insert(u"name"_s, o.name);
            if (!o.arguments.isEmpty())
                j.insert(u"arguments"_s, o.arguments);
            if (!o.dependsOn.isEmpty())
                j.insert(u"depends_on"_s, QJsonArray::fromStringList(o.dependsOn));
            objs.append(j);
        }
        QJsonArray skipped;
        for (const NotCompared &n : notCompared)
            skipped.append(QJsonObject{{u"kind"_s, n.kind}, {u"name"_s, n.name}, {u"reason"_s, n.reason}});
        return QJsonObject{
            {u"format"_s, u"dbops-schema-snapshot"_s},
            {u"version"_s, 1},
            {u"source"_s, source},
            {u"dialect"_s, dialect == Dialect::Sqlite ? u"sqlite"_s : u"postgresql"_s},
            {u"server_version_num"_s, serverVersionNum},
            {u"taken_at"_s, takenAt.toUTC().toString(Qt::ISODateWithMs)},
            {u"objects"_s, objs},
            {u"not_compared"_s, skipped},
        };
    }

    Expected<Snapshot> Snapshot::fromJson(const QJsonObject &json)
    {
        if (json.value(u"format"_s).toString() != u"dbops-schema-snapshot"_s)
            return std::unexpected(badSnapshot(u"\"format\" is not \"dbops-schema-snapshot\""_s));
        if (json.value(u"version"_s).toInt() != 1)
            return std::unexpected(badSnapshot(u"version %1 is not 1 (written by a newer dbops?)"_s.arg(json.value(u"version"_s).toInt())));
        Snapshot s;
        s.source = json.value(u"source"_s).toString();
        const QString dialect = json.value(u"dialect"_s).toString();
        if (dialect != u"postgresql"_s && dialect != u"sqlite"_s)
            return std::unexpected(badSnapshot(u"dialect \"%1\" is neither postgresql nor sqlite"_s.arg(dialect)));
        s.dialect = dialect == u"sqlite"_s ? Dialect::Sqlite : Dialect::PostgreSql;
        s.serverVersionNum = json.value(u"server_version_num"_s).toInt();
        s.takenAt = QDateTime::fromString(json.value(u"taken_at"_s).toString(), Qt::ISODateWithMs);
        if (!json.value(u"objects"_s).isArray())
            return std::unexpected(badSnapshot(u"\"objects\" is not a list"_s));
        int i = 0;
        for (const QJsonValue &v : json.value(u"objects"_s).toArray())
        {
            const QJsonObject j = v.toObject();
            const auto kind = kindFromString(j.value(u"kind"_s).toString());
            if (!kind)
                return std::unexpected(badSnapshot(u"object %1 has an unknown kind \"%2\""_s.arg(i).arg(j.value(u"kind"_s).toString())));
            if (!j.value(u"name"_s).isString())
                return std::unexpected(badSnapshot(u"object %1 has no name"_s.arg(i)));
            SchemaObject o;
            o.kind = *kind;
            o.schema = j.value(u"schema"_s).toString();
            o.table = j.value(u"table"_s).toString();
            o.name = j.value(u"name"_s).toString();
            o.arguments = j.value(u"arguments"_s).toString();
            const QJsonObject attrs = j.value(u"attributes"_s).toObject();
            for (auto it = attrs.constBegin(); it != attrs.constEnd(); ++it)
            {
                if (!it.value().isString())
                    return std::unexpected(badSnapshot(u"attribute \"%1\" of %2 is not text"_s.arg(it.key(), o.id())));
                o.attrs.insert(it.key(), it.value().toString());
            }
            for (const QJsonValue &d : j.value(u"depends_on"_s).toArray())
                o.dependsOn << d.toString();
            s.objects << o;
            ++i;
        }
        for (const QJsonValue &v : json.value(u"not_compared"_s).toArray())
        {
            const QJsonObject j = v.toObject();
            s.notCompared << NotCompared{j.value(u"kind"_s).toString(), j.value(u"name"_s).toString(), j.value(u"reason"_s).toString()};
        }
        s.finish();
        return s;
    }

    Expected<void> writeSnapshotFile(const Snapshot &snapshot, const QString &path)
    {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return fail(ErrorCode::Io, u"cannot write the snapshot %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString()));
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(QJsonDocument(snapshot.toJson()).toJson(QJsonDocument::Indented));
        if (!file.commit())
            return fail(ErrorCode::Io, u"cannot write the snapshot %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString()));
        return {};
    }

    Expected<Snapshot> readSnapshotFile(const QString &path)
    {
        QFile file(path);
        if (!QFileInfo(path).isFile())
            return fail(ErrorCode::BadInput, u"no snapshot file at %1"_s.arg(QDir::toNativeSeparators(path)));
        if (!file.open(QIODevice::ReadOnly))
            return fail(ErrorCode::BadInput, u"cannot read the snapshot %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString()));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!doc.isObject())
            return fail(ErrorCode::BadInput,
                        u"the snapshot %1 is not JSON: %2 at offset %3"_s.arg(QDir::toNativeSeparators(path), parseError.errorString())
                            .arg(parseError.offset));
        auto snapshot = Snapshot::fromJson(doc.object());
        if (!snapshot)
        {
            Error e = snapshot.error();
            e.message = QDir::toNativeSeparators(path) + u": "_s + e.message;
            return std::unexpected(e);
        }
        return snapshot;
    }
}
