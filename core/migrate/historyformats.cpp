#include "core/migrate/historyformats.h"

#include "core/migrate/dbopshistory.h"
#include "core/migrate/foreignhistory.h"
#include "core/sql/sqlresource.h"

#include <QMap>
#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QStringList historyFormats()
    {
        return {u"dbops"_s, u"sqlx"_s, u"flyway"_s, u"golang-migrate"_s, u"plain"_s, u"node-pg-migrate"_s};
    }

    namespace
    {
        std::optional<HistoryCandidate> classify(const QString &schema, const QString &table, const QMap<QString, QString> &cols)
        {
            const auto has = [&](std::initializer_list<const char *> names) {
                for (const char *n : names)
                    if (!cols.contains(QString::fromLatin1(n)))
                        return false;
                return true;
            };
            const auto isText = [&](const QString &c) {
                const QString t = cols.value(c);
                return t == u"text"_s || t.startsWith(u"character varying"_s) || t.startsWith(u"character("_s);
            };
            HistoryCandidate c;
            c.schema = schema;
            c.table = table;
            if (has({"installed_rank", "version", "description", "type", "script", "checksum", "success"}))
                c.format = cols.contains(u"dbops_version"_s) ? u"dbops"_s : u"flyway"_s;
            else if (has({"version", "description", "installed_on", "success", "checksum", "execution_time"}))
                c.format = u"sqlx"_s;
            else if (cols.size() == 2 && has({"version", "dirty"}) && cols.value(u"version"_s) == u"bigint"_s)
                c.format = u"golang-migrate"_s;
            else if (has({"id", "name", "run_on"}) && cols.size() == 3)
                c.format = u"node-pg-migrate"_s;
            else if (cols.size() <= 5)
            {
                for (const char *key : {"name", "filename", "migration", "version", "id"})
                    if (isText(QString::fromLatin1(key)))
                    {
                        c.keyColumn = QString::fromLatin1(key);
                        break;
                    }
                if (c.keyColumn.isEmpty())
                    return std::nullopt;
                c.format = u"plain"_s;
                if (cols.contains(u"description"_s))
                    c.descriptionColumn = u"description"_s;
                for (const char *at : {"executed_at", "applied_at", "run_on", "installed_on", "created_at", "migrated_at"})
                    if (cols.contains(QString::fromLatin1(at)))
                    {
                        c.appliedAtColumn = QString::fromLatin1(at);
                        break;
                    }
                for (const char *sum : {"checksum", "hash", "sha256", "md5"})
                    if (isText(QString::fromLatin1(sum)) || cols.value(QString::fromLatin1(sum)) == u"bigint"_s
                        || cols.value(QString::fromLatin1(sum)) == u"integer"_s)
                    {
                        c.checksumColumn = QString::fromLatin1(sum);
                        break;
                    }
                for (auto it = cols.cbegin(); it != cols.cend(); ++it)
                    if (it.key() != c.keyColumn && it.key() != c.descriptionColumn && it.key() != c.appliedAtColumn
                        && it.key() != c.checksumColumn)
                        c.ignoredColumns << it.key();
            }
            else
                return std::nullopt;
            return c;
        }
    }

    QList<HistoryCandidate> detectHistories(PgConnection &conn, CancelToken *token)
    {
        const QueryResult r = conn.exec(sqlResource(u"migrate/history_candidates"), {}, token);
        QList<HistoryCandidate> out;
        QString schema, table;
        QMap<QString, QString> cols;
        const auto flush = [&] {
            if (!table.isEmpty())
                if (auto c = classify(schema, table, cols))
                    out << *c;
            cols.clear();
        };
        for (int i = 0; i < r.rowCount(); ++i)
        {
            const QString s = r.value(i, 0).toString(), t = r.value(i, 1).toString();
            if (s != schema || t != table)
            {
                flush();
                schema = s;
                table = t;
            }
            cols.insert(r.value(i, 2).toString(), r.value(i, 3).toString());
        }
        flush();
        return out;
    }

    std::shared_ptr<HistoryAdapter> makeHistory(const HistoryCandidate &c)
    {
        const QString t = c.schema.isEmpty() ? c.table : c.qualified();
        if (c.format == u"sqlx"_s)
            return std::make_shared<SqlxHistory>(t);
        if (c.format == u"flyway"_s)
            return std::make_shared<FlywayHistory>(t);
        if (c.format == u"golang-migrate"_s)
            return std::make_shared<GolangMigrateHistory>(t);
        if (c.format == u"plain"_s)
            return std::make_shared<PlainHistory>(
                t, PlainHistory::Columns{c.keyColumn, c.descriptionColumn, c.appliedAtColumn, c.checksumColumn, c.ignoredColumns});
        if (c.format == u"node-pg-migrate"_s)
            return std::make_shared<NodePgMigrateHistory>(t);
        if (c.format == u"dbops"_s || c.format.isEmpty())
            return std::make_shared<DbopsHistory>(t.isEmpty() ? defaultHistoryTable() : t);
        throw Exception(ErrorCode::Usage, u"unknown history format '%1' (one of %2)"_s.arg(c.format, historyFormats().join(u", "_s)));
    }

    std::shared_ptr<HistoryAdapter> resolveHistory(PgConnection &conn, const QString &forced, const QString &table, CancelToken *token,
                                                   QStringList *notes)
    {
        if (!forced.isEmpty() && !historyFormats().contains(forced))
            throw Exception(ErrorCode::Usage, u"unknown history format '%1' (one of %2)"_s.arg(forced, historyFormats().join(u", "_s)));
        const QList<HistoryCandidate> found = detectHistories(conn, token);
        const auto matchesTable = [&](const HistoryCandidate &c) { return table.isEmpty() || c.table == table || c.qualified() == table; };
        QList<HistoryCandidate> usable;
        for (const HistoryCandidate &c : found)
            if ((forced.isEmpty() || c.format == forced) && matchesTable(c))
                usable << c;
        const auto describe = [](const QList<HistoryCandidate> &list) {
            QStringList s;
            for (const auto &c : list)
                s << c.format + u" ("_s + c.qualified() + u')';
            return s.join(u", "_s);
        };
        if (usable.size() == 1)
        {
            if (notes && found.size() > 1)
                *notes << u"also found: "_s + describe(found);
            return makeHistory(usable.first());
        }
        if (usable.isEmpty())
        {
            // A new history in the forced (or dbops) format.
            HistoryCandidate c;
            c.format = forced.isEmpty() ? u"dbops"_s : forced;
            c.table = table;
            if (c.format == u"plain"_s)
                c.keyColumn = u"name"_s;
            if (notes && !found.isEmpty())
                *notes << u"other histories present: "_s + describe(found);
            return makeHistory(c);
        }
        // Several: the dbops history wins only when it records having adopted the others.
        for (const HistoryCandidate &c : usable)
        {
            if (c.format != u"dbops"_s)
                continue;
            auto dbops = makeHistory(c);
            const QueryResult adopted = conn.exec(sqlResource(u"migrate/history_adopted", {{u"table", dbops->table()}}), {}, token);
            QSet<QString> covered;
            for (int i = 0; i < adopted.rowCount(); ++i)
                for (const HistoryCandidate &o : usable)
                    if (adopted.value(i, 0).toString().contains(o.qualified()))
                        covered.insert(o.qualified());
            if (covered.size() == usable.size() - 1)
            {
                if (notes)
                    *notes << u"adopted earlier: "_s + describe(usable);
                return dbops;
            }
        }
        Error e = Error::make(ErrorCode::BadInput, u"this database has %1 migration histories: %2; dbops will not guess which one is "
                                                   u"in charge"_s.arg(usable.size())
                                                       .arg(describe(usable)));
        e.hint = u"choose one with --history-format (and --history-table), or move them to the dbops history with 'dbops adopt'"_s;
        throw Exception(e);
    }
}
