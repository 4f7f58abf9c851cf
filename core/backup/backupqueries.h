#pragma once

#include <QList>
#include <QMap>
#include <QString>

namespace dbops
{
    class CancelToken;
    class PgConnection;

    struct TableSize
    {
        QString name; ///< "schema.table", as pg_dump names it
        qint64 bytes = 0;
    };

    struct SessionInfo
    {
        int pid = 0;
        QString user;
        QString application;
        QString client;
        QString state;
        QString since;
        QString toString() const;
    };

    /// Catalog reads for backup and restore. Each throws dbops::Exception on failure.
    namespace backupqueries
    {
        QList<TableSize> tableSizes(PgConnection &conn, CancelToken *token);
        /// Exact count(*) of every table, keyed "schema.table".
        QMap<QString, qint64> rowCounts(PgConnection &conn, CancelToken *token);
        QList<SessionInfo> otherSessions(PgConnection &conn, const QString &database, CancelToken *token);
        int terminateSessions(PgConnection &conn, const QString &database, CancelToken *token);
        bool databaseExists(PgConnection &conn, const QString &database, CancelToken *token);
        /// The migration version of the connected database from its history: with a migrations
        /// folder, the timeline's current version; without one, the highest applied version in
        /// the detected history. Empty when there is no history (or it cannot be read).
        QString migrationVersion(PgConnection &conn, const QString &migrationsDir, CancelToken *token);
    }
}
