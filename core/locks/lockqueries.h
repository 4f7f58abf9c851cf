#pragma once

#include "core/locks/locksnapshot.h"

#include <QMetaType>

#include <optional>

namespace dbops
{
    class CancelToken;
    class PgConnection;
    struct QueryResult;

    /// Bounds of one snapshot on a busy server.
    struct SnapshotOptions
    {
        int locksPerSession = 200; ///< aggregated lock entries detailed per interesting session
        int maxLockEntries = 5000; ///< and in all
    };

    enum class BackendSignal
    {
        Cancel,   ///< pg_cancel_backend: the running query
        Terminate ///< pg_terminate_backend: the whole session
    };
    QString toString(BackendSignal signal);

    struct SignalResult
    {
        int pid = 0;
        BackendSignal signal = BackendSignal::Cancel;
        bool sent = false; ///< the server accepted the request
        QJsonObject toJson() const;
    };

    /// The lock monitor's SQL, from resources under core/locks/sql (STYLE P4), and what it returns
    /// as plain data. Blocking: call from a job or the CLI, on a connection of the calling thread.
    class LockQueries final
    {
    public:
        /// The text of :/dbops/locks/<name>.sql. Throws Internal when the resource is missing.
        static QString sql(const QString &name);

        /// One round trip: sessions, their interesting locks (aggregated and bounded), blocking
        /// edges from pg_blocking_pids(), the blocking forest and the recognised migration locks.
        static LockSnapshot snapshot(PgConnection &conn, CancelToken *token = nullptr, const SnapshotOptions &options = {});
        /// Turns the snapshot statement's single row into the snapshot (tree and names included).
        static LockSnapshot fromResult(const QueryResult &result);

        /// The session with this pid, if it exists.
        static std::optional<BackendSession> session(PgConnection &conn, int pid, CancelToken *token = nullptr);
        /// Cancels the query of, or terminates, `pid`. Throws NotFound when no such backend exists.
        static SignalResult signal(PgConnection &conn, int pid, BackendSignal signal, CancelToken *token = nullptr);
    };
}

Q_DECLARE_METATYPE(dbops::SignalResult)
