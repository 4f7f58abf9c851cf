#pragma once

#include "core/backup/backupqueries.h"
#include "core/db/connectparams.h"
#include "core/db/profile.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <memory>

namespace dbops
{
    class JobContext;
    class Store;

    /// This process's own long-lived users of a database (the console's lock monitor, a view's
    /// polling): a replace asks them to close their sessions to it just before the swap and to
    /// reopen them after, so that dbops is never one of the "other sessions" it refuses over or
    /// ends. Called on the restore's worker thread: it must not wait for the GUI thread.
    class OwnSessionUsers
    {
    public:
        virtual ~OwnSessionUsers() = default;
        /// Close this process's sessions to `database` on the server of `server`, and open none
        /// until resume().
        virtual void release(const ConnectionProfile &server, const QString &database) = 0;
        /// Reopen what release() closed; called once after every release(), whatever the outcome.
        virtual void resume(const ConnectionProfile &server, const QString &database) = 0;
    };

    struct RestoreRequest
    {
        qint64 backupId = 0;            ///< a catalog entry, or
        QString archivePath;            ///< any archive file or directory
        ConnectionProfile profile;      ///< the server to restore on (and whose history row it is)
        ConnectParams connection;       ///< resolved, password included; its dbname is not used
        QString newDatabase;            ///< the default: restore into a new database
        QString replaceDatabase;        ///< or replace this one ...
        QString confirm;                ///< ... only when this repeats its name exactly
        bool terminateSessions = false; ///< end other sessions of the replaced database (never dbops's own)
        /// Released before a replace's swap and resumed after; may be null (the CLI has none).
        std::shared_ptr<OwnSessionUsers> ownSessions;
        int jobs = 0; ///< pg_restore --jobs; 0: up to 4 by the CPU count
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
    /// counts checked against the archive's. Replace: typed confirmation, the role's ownership and
    /// privileges (it must be able to rename and drop the database: its owner with CREATEDB, or a
    /// superuser; checked before anything is done), refusal while other sessions are connected
    /// (listing them; dbops's own are not "other") unless terminateSessions, a verified safety
    /// backup of the database, a restore into a side database, the row count check, and only then
    /// a swap by renames, with this process's own sessions to it closed (ownSessions released,
    /// new connections held, idle leftovers ended) and reopened after; the old database is dropped
    /// last. Every outcome goes to the restore history and the audit log. Blocking, for a job body.
    class RestoreService final
    {
    public:
        explicit RestoreService(Store &store);
        RestoreResult restore(const RestoreRequest &request, JobContext &jc);
        /// The other sessions of `database` on the server (what a replace would refuse over):
        /// never this process's own (its lock monitor, its views).
        QList<SessionInfo> sessions(const ConnectParams &server, const QString &database, JobContext &jc);

    private:
        Store &m_store;
    };
}

Q_DECLARE_METATYPE(dbops::RestoreResult)
