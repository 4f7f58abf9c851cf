#include "core/schema/pgintrospect.h"

#include "core/db/pgconnection.h"
#include "core/jobs/canceltoken.h"
#include "core/schema/diff.h"
#include "core/sql/sqlresource.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <spdlog/spdlog.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    using namespace catalog;

    namespace
    {
        bool matchesAny(const QString &name, const QStringList &patterns)
        {
            for (const QString &p : patterns)
                if (matchesPattern(name, p))
                    return true;
            return false;
        }

        /// Maps each pg_depend row through the recorded addresses (an address of a part that
        /// is not an object goes to its owner; a column address falls back to its relation) and
        /// adds the edges to the objects. An object never depends on itself.
        void readDependencies(const QueryResult &rows, IntrospectContext &context)
        {
            const QHash<QString, qsizetype> &index = context.index;
            // The id strings live in the two maps, unchanged during this pass: edges point at them.
            const auto idOf = [&](quint32 classid, quint32 objid, qint32 subid) -> const QString * {
                const CatalogAddress exact{classid, objid, subid};
                if (auto it = context.ids.constFind(exact); it != context.ids.cend())
                    return &*it;
                if (auto it = context.ownedBy.constFind(exact); it != context.ownedBy.cend())
                    return &*it;
                if (subid != 0)
                {
                    const CatalogAddress whole{classid, objid, 0};
                    if (auto it = context.ids.constFind(whole); it != context.ids.cend())
                        return &*it;
                    if (auto it = context.ownedBy.constFind(whole); it != context.ownedBy.cend())
                        return &*it;
                }
                return nullptr;
            };
            const int cClass = rows.columnIndex(u"classid"_s), cObj = rows.columnIndex(u"objid"_s), cSub = rows.columnIndex(u"objsubid"_s),
                      cRefClass = rows.columnIndex(u"refclassid"_s), cRefObj = rows.columnIndex(u"refobjid"_s),
                      cRefSub = rows.columnIndex(u"refobjsubid"_s), cType = rows.columnIndex(u"deptype"_s);
            QHash<qsizetype, QList<const QString *>> edges; // object position -> what it needs
            for (const QList<QVariant> &row : rows.rows)
            {
                const QString *from = idOf(row[cClass].toUInt(), row[cObj].toUInt(), row[cSub].toInt());
                if (!from)
                    continue;
                const QString *to = idOf(row[cRefClass].toUInt(), row[cRefObj].toUInt(), row[cRefSub].toInt());
                if (!to || *from == *to)
                    continue;
                // An owned sequence's auto dependency on its column is written as OWNED BY after
                // the column exists, not as an ordering edge (the column's default needs the
                // sequence first).
                if (from->startsWith(u"sequence:"_s) && row[cType].toString() == u"a"_s)
                    continue;
                const auto at = index.constFind(*from);
                if (at != index.cend())
                    edges[*at] << to;
            }
            for (auto it = edges.cbegin(); it != edges.cend(); ++it)
            {
                SchemaObject &o = context.snapshot.objects[it.key()];
                QSet<QString> all(o.dependsOn.cbegin(), o.dependsOn.cend());
                for (const QString *needed : it.value())
                    all.insert(*needed);
                o.dependsOn = QStringList(all.cbegin(), all.cend());
                o.dependsOn.sort();
            }
        }
    }

    quint32 oidOf(const QueryResult &rows, int r, const QString &column)
    {
        return quint32(rows.value(r, column).toLongLong());
    }

    void setIf(SchemaObject &o, const QString &key, const QString &value)
    {
        if (!value.isEmpty())
            o.attrs.insert(key, value);
    }

    std::optional<SchemaObject> IntrospectContext::fromRow(const QueryResult &rows, int r, ObjectKind kind,
                                                           const QString &tableColumn) const
    {
        SchemaObject o;
        o.kind = kind;
        o.schema = rows.text(r, u"schema"_s);
        if (!wanted(o.schema))
            return std::nullopt;
        if (!tableColumn.isEmpty())
            o.table = rows.text(r, tableColumn);
        o.name = rows.text(r, u"name"_s);
        return o;
    }

    bool IntrospectContext::wanted(const QString &schema) const
    {
        if (!options.schemas.isEmpty() && !matchesAny(schema, options.schemas))
            return false;
        return !matchesAny(schema, options.excludeSchemas);
    }

    void IntrospectContext::add(SchemaObject object, const CatalogAddress &address)
    {
        const QString id = object.id();
        ids.insert(address, id);
        index.insert(id, snapshot.objects.size());
        snapshot.objects << std::move(object);
    }

    SchemaObject *IntrospectContext::object(const CatalogAddress &address)
    {
        const auto it = ids.constFind(address);
        return it == ids.cend() ? nullptr : object(*it);
    }

    SchemaObject *IntrospectContext::object(const QString &id)
    {
        const auto it = index.constFind(id);
        return it == index.cend() ? nullptr : &snapshot.objects[*it];
    }

    Expected<Snapshot> snapshotPostgres(PgConnection &connection, const IntrospectOptions &options, CancelToken *token)
    {
        Snapshot snapshot;
        snapshot.dialect = Dialect::PostgreSql;
        snapshot.serverVersionNum = connection.serverVersionNum();
        snapshot.source = u"postgresql://%1/%2"_s.arg(connection.host(), connection.database());
        IntrospectContext context{snapshot, options, {}, {}, {}};

        QList<KindReader> readers = typeReaders();
        readers << relationReaders() << codeReaders() << privilegeReaders() << notComparedReaders();
        readers << KindReader{u"schema/depend"_s, readDependencies};

        // One consistent picture: REPEATABLE READ READ ONLY, and every name the server prints
        // schema-qualified (search_path empty), so the same schema prints the same text on both
        // sides. The transaction is ours alone: a failure rolls it back.
        if (auto begun = connection.tryExec(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s, {}, token); !begun)
            return std::unexpected(begun.error());
        const auto rollback = [&] { (void)connection.tryExec(u"ROLLBACK"_s); };
        if (auto set = connection.tryExec(u"SET LOCAL search_path = ''"_s, {}, token); !set)
        {
            rollback();
            return std::unexpected(set.error());
        }
        (void)connection.tryExec(u"SET LOCAL statement_timeout = 0"_s, {}, token);
        // The bulk queries sort tens of thousands of rows: in memory, not in temporary files.
        (void)connection.tryExec(u"SET LOCAL work_mem = '64MB'"_s, {}, token);
        // The two sides are read at once, each on its own backend: parallel workers would only
        // compete with the other side for the same cores.
        (void)connection.tryExec(u"SET LOCAL max_parallel_workers_per_gather = 0"_s, {}, token);
        snapshot.takenAt = QDateTime::currentDateTimeUtc();
        for (const KindReader &reader : readers)
        {
            if (reader.minServerVersion > snapshot.serverVersionNum)
                continue;
            QElapsedTimer timer;
            timer.start();
            auto rows = connection.tryExec(sqlResource(reader.resource), {}, token);
            const qint64 queryMs = timer.elapsed();
            if (!rows)
            {
                rollback();
                Error e = rows.error();
                e.context = u"reading the schema (%1)"_s.arg(reader.resource);
                return std::unexpected(e);
            }
            try
            {
                reader.read(*rows, context);
            }
            catch (const Exception &e)
            {
                rollback();
                return std::unexpected(e.error());
            }
            spdlog::debug("schema {}: {} rows, query {} ms, read {} ms", reader.resource.toStdString(), rows->rowCount(), queryMs,
                          timer.elapsed() - queryMs);
        }
        if (auto done = connection.tryExec(u"COMMIT"_s, {}, token); !done)
            return std::unexpected(done.error());
        snapshot.finish();
        spdlog::debug("schema snapshot of {}: {} objects, {} not compared", snapshot.source.toStdString(), snapshot.objects.size(),
                      snapshot.notCompared.size());
        return snapshot;
    }

    Expected<int> readTableSizes(PgConnection &connection, Snapshot &snapshot, const QStringList &tableIds, CancelToken *token)
    {
        // pg_total_relation_size takes a lock on the table and each of its indexes until the
        // statement's transaction ends: a few hundred tables a statement (in autocommit) stay far
        // below the server's lock table (max_locks_per_transaction x connections).
        constexpr int kTablesPerStatement = 500;
        const QSet<QString> wanted(tableIds.cbegin(), tableIds.cend());
        QList<QJsonArray> batches;
        for (const SchemaObject *o : snapshot.ofKind(ObjectKind::Table))
        {
            if (!wanted.isEmpty() && !wanted.contains(o->id()))
                continue;
            if (batches.isEmpty() || batches.last().size() == kTablesPerStatement)
                batches << QJsonArray{};
            batches.last().append(QJsonArray{o->schema, o->name});
        }
        int set = 0;
        for (const QJsonArray &pairs : std::as_const(batches))
        {
            auto rows = connection.tryExec(sqlResource(u"schema/rel_sizes"_s),
                                           {QString::fromUtf8(QJsonDocument(pairs).toJson(QJsonDocument::Compact))}, token);
            if (!rows)
            {
                Error e = rows.error();
                e.context = u"reading table sizes"_s;
                return std::unexpected(e);
            }
            for (int r = 0; r < rows->rowCount(); ++r)
            {
                SchemaObject t;
                t.kind = ObjectKind::Table;
                t.schema = rows->text(r, u"schema"_s);
                t.name = rows->text(r, u"name"_s);
                if (SchemaObject *found = snapshot.find(t.id()))
                {
                    found->attrs.insert(u"_bytes"_s, rows->text(r, u"bytes"_s));
                    ++set;
                }
            }
        }
        return set;
    }
}
