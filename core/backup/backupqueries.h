#pragma once

#include <QList>
#include <QMetaType>
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
        bool canEnd = false; ///< the connected role may end it (pg_terminate_backend's rule)
        QString toString() const;
    };

    /// Catalog reads for backup and restore. Each throws dbops::Exception on failure.
    namespace backupqueries
    {
        QList<TableSize> tableSizes(PgConnection &conn, CancelToken *token);
        /// Exact count(*) of every table, keyed "schema.table".
        QMap<QString, qint64> rowCounts(PgConnection &conn, CancelToken *token);
        /// The client sessions of `database` that are neither `conn` nor any other connection of
        /// this process (PgConnection::ownBackendPids): what a replace refuses over and lists.
        QList<SessionInfo> otherSessions(PgConnection &conn, const QString &database, CancelToken *token);
        /// This process's own client sessions of `database` (but `conn`), e.g. the lock monitor's.
        QList<SessionInfo> ownSessions(PgConnection &conn, const QString &database, CancelToken *token);
        /// Ends otherSessions(): never `conn` nor another session of this process. Returns how many.
        int terminateSessions(PgConnection &conn, const QString &database, CancelToken *token);
        bool databaseExists(PgConnection &conn, const QString &database, CancelToken *token);
        /// The migration version of the connected database from its history: with a migrations
        /// folder, the timeline's current version; without one, the highest applied version in
        /// the detected history. Empty when there is no history (or it cannot be read).
        QString migrationVersion(PgConnection &conn, const QString &migrationsDir, CancelToken *token);
    }
}

Q_DECLARE_METATYPE(dbops::SessionInfo)
