#pragma once

// Internal to the migration engine (migrator*.cpp, markapplied.cpp): the locked session.
#include "core/db/pgconnection.h"
#include "core/migrate/migrationlock.h"
#include "core/migrate/migrator.h"

#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace dbops
{
    /// `params` with application_name set: each of the engine's sessions says what it is in pg_stat_activity.
    ConnectParams withApplicationName(ConnectParams params, const QString &name);
    /// SET (or SET LOCAL) lock_timeout / statement_timeout for the migration settings that are set.
    QList<PipelineStep> sessionSettings(const MigrationSettings &s, bool local);
    /// The file line of a server error inside statement `st` (its position is within the statement).
    int errorLine(const SqlStatement &st, const Error &error);
    /// ROLLBACK, ignoring a failure (the session may be gone).
    void rollbackQuietly(PgConnection &conn);
    /// Sends `steps` (BEGIN … COMMIT) in one round trip. On failure: ROLLBACK, the error becomes
    /// OperationFailed (a cancel stays a cancel), `where(failedStep, error)` names what failed in its
    /// context, and it is thrown. Returns the steps' results.
    QList<QueryResult> execInTransaction(PgConnection &conn, const QList<PipelineStep> &steps, CancelToken *token,
                                         const std::function<QString(int failedStep, const Error &error)> &where);

    /// One dedicated session holds the migration lock and runs the migrations. A separate lock
    /// session would be unsafe: a pipelined migration already sent to the server keeps running
    /// when its client dies, while the lock session's end would let another migrator in.
    struct Migrator::Session
    {
        std::unique_ptr<PgConnection> work;
        std::unique_ptr<MigrationLock> lock; // declared after work: released before it closes
        QStringList warnings;
        bool satisfied = false; ///< another migrator did the work while we waited
        std::optional<LockHolder> waitedFor;
        int waitedMs = 0;
        qint64 key = 0;
        bool historyExisted = true;  ///< false: the history table did not exist when the lock was taken
        bool historyCreated = false; ///< ensureHistory() created it in this run
        bool sharedReleased = false;
    };
}
