#pragma once

#include "core/backup/backupqueries.h"
#include "core/db/connectparams.h"
#include "core/db/profile.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

namespace dbops
{
    class JobContext;
    class Store;

    struct RestoreRequest
    {
        qint64 backupId = 0;            ///< a catalog entry, or
        QString archivePath;            ///< any archive file or directory
        ConnectionProfile profile;      ///< the server to restore on (and whose history row it is)
        ConnectParams connection;       ///< resolved, password included; its dbname is not used
        QString newDatabase;            ///< the default: restore into a new database
        QString replaceDatabase;        ///< or replace this one ...
        QString confirm;                ///< ... only when this repeats its name exactly
        bool terminateSessions = false; ///< end other sessions of the replaced database
        int jobs = 0;                   ///< pg_restore --jobs; 0: up to 4 by the CPU count
        QString toolsDir;
    };

    struct RestoreResult
    {
        QString database;
        QString mode; ///< "new" or "replace"
        qint64 backupId = 0;
        qint64 safetyBackupId = 0;
        qint64 historyId = 0;
        int tablesChecked = 0;
        qint64 restoreMs = 0; ///< pg_restore itself
        qint64 checkMs = 0;   ///< the checks before and after
        QJsonObject toJson() const;
    };

    /// Restores, safely (issue 7). Before anything is touched: the archive's SHA-256 against the
    /// catalog and pg_restore --list (a file not in the catalog is read completely instead); a
    /// corrupt or truncated archive is refused (BadInput) and the target is untouched.
    /// New database (default): CREATE DATABASE ... TEMPLATE template0, pg_restore --jobs, row
    /// counts checked against the archive's. Replace: typed confirmation, refusal while other
    /// sessions are connected (listing them) unless terminateSessions, a verified safety backup of
    /// the database, a restore into a side database, the row count check, and only then a swap by
    /// renames; the old database is dropped last. Every outcome goes to the restore history and
    /// the audit log. Blocking, for a job body.
    class RestoreService final
    {
    public:
        explicit RestoreService(Store &store);
        RestoreResult restore(const RestoreRequest &request, JobContext &jc);
        /// The other sessions of `database` on the server (what a replace would refuse over).
        QList<SessionInfo> sessions(const ConnectParams &server, const QString &database, JobContext &jc);

    private:
        Store &m_store;
    };
}

Q_DECLARE_METATYPE(dbops::RestoreResult)
