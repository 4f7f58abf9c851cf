#include "core/backup/backupqueries.h"

#include "core/db/pgconnection.h"
#include "core/logging/log.h"
#include "core/migrate/historyformats.h"
#include "core/migrate/migrationsource.h"
#include "core/migrate/timeline.h"
#include "core/migrate/version.h"
#include "core/sql/sqlresource.h"

#include <QDir>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString sqlText(const QString &name)
        {
            return sqlResource(QString(u"backup/"_s + name));
        }
    }

    namespace
    {
        /// This process's backends on `conn`'s server as a PostgreSQL int[] literal ("{1,2}").
        QString ownPids(const PgConnection &conn)
        {
            QStringList pids;
            for (int pid : conn.ownBackendPids())
                pids << QString::number(pid);
            return u'{' + pids.join(u',') + u'}';
        }

        QList<SessionInfo> sessionsOf(PgConnection &conn, const QString &query, const QString &database, CancelToken *token)
        {
            const QueryResult r = conn.exec(sqlText(query), {database, ownPids(conn)}, token);
            QList<SessionInfo> out;
            for (int i = 0; i < r.rowCount(); ++i)
                out.append({r.value(i, u"pid"_s).toInt(), r.text(i, u"usename"_s), r.text(i, u"application_name"_s),
                            r.text(i, u"client_addr"_s), r.text(i, u"state"_s), r.text(i, u"backend_start"_s),
                            r.value(i, u"can_end"_s).toBool()});
            return out;
        }
    }

    QString SessionInfo::toString() const
    {
        return u"pid %1 user %2 from %3 (%4%5) since %6"_s.arg(pid).arg(user, client,
                                                                        application.isEmpty() ? u"no application name"_s : application,
                                                                        state.isEmpty() ? QString() : u", "_s + state, since);
    }

    namespace backupqueries
    {
        QList<TableSize> tableSizes(PgConnection &conn, CancelToken *token)
        {
            const QueryResult r = conn.exec(sqlText(u"tables"_s), {}, token);
            QList<TableSize> out;
            for (int i = 0; i < r.rowCount(); ++i)
                out.append({r.text(i, u"schema"_s) + u'.' + r.text(i, u"name"_s), r.value(i, u"bytes"_s).toLongLong()});
            return out;
        }

        QMap<QString, qint64> rowCounts(PgConnection &conn, CancelToken *token)
        {
            const QueryResult r = conn.exec(sqlText(u"tables"_s), {}, token);
            QMap<QString, qint64> out;
            for (int i = 0; i < r.rowCount(); ++i)
            {
                const QString schema = r.text(i, u"schema"_s);
                const QString name = r.text(i, u"name"_s);
                const QString table = conn.escapeIdentifier(schema) + u'.' + conn.escapeIdentifier(name);
                const QueryResult c = conn.exec(sqlResource(u"backup/row_count", {{u"table", table}}), {}, token);
                out.insert(schema + u'.' + name, c.value(0, 0).toLongLong());
            }
            return out;
        }

        QList<SessionInfo> otherSessions(PgConnection &conn, const QString &database, CancelToken *token)
        {
            return sessionsOf(conn, u"sessions"_s, database, token);
        }

        QList<SessionInfo> ownSessions(PgConnection &conn, const QString &database, CancelToken *token)
        {
            return sessionsOf(conn, u"own_sessions"_s, database, token);
        }

        int terminateSessions(PgConnection &conn, const QString &database, CancelToken *token)
        {
            return conn.exec(sqlText(u"terminate"_s), {database, ownPids(conn)}, token).value(0, 0).toInt();
        }

        bool databaseExists(PgConnection &conn, const QString &database, CancelToken *token)
        {
            return conn.exec(sqlText(u"database_exists"_s), {database}, token).rowCount() > 0;
        }

        QString migrationVersion(PgConnection &conn, const QString &migrationsDir, CancelToken *token)
        {
            try
            {
                auto history = resolveHistory(conn, {}, {}, token);
                if (!history || !history->exists(conn, token))
                    return {};
                const QList<HistoryRow> rows = history->read(conn, token);
                if (!migrationsDir.isEmpty() && QDir(migrationsDir).exists())
                {
                    if (auto set = loadMigrations(migrationsDir))
                        return buildTimeline(*set, rows, *history).currentVersion;
                }
                Version best;
                for (const HistoryRow &row : rows)
                {
                    const bool applied = row.success && !row.dirty
                                         && (row.type == HistoryRow::Type::Migration || row.type == HistoryRow::Type::Baseline
                                             || row.type == HistoryRow::Type::UpTo);
                    if (applied && !row.version.isEmpty() && (best.isEmpty() || Version(row.version) > best))
                        best = Version(row.version);
                }
                return best.text();
            }
            catch (const Exception &e)
            {
                if (e.error().isCancelled())
                    throw;
                spdlog::warn("backup: cannot read the migration version: {}", e.error().message);
                return {};
            }
        }
    }
}
