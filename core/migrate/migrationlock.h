#pragma once

#include "core/migrate/settings.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace dbops
{
    class CancelToken;
    class PgConnection;

    /// The session holding an advisory lock, as pg_locks and pg_stat_activity report it.
    struct LockHolder
    {
        int pid = 0;
        QString applicationName;
        QString user;
        QString client;
        QDateTime since; ///< the holder's backend_start (dbops opens a dedicated session for the lock)
        QString state;
        QString query;

        QString toText() const;
        QJsonObject toJson() const;
        bool operator==(const LockHolder &o) const { return pid == o.pid; }
    };

    /// The session-level migration lock, on the migrator's dedicated connection (the lock goes with
    /// the session, so a crashed holder's lock is freed by the server). Taken by polling pg_try_advisory_lock
    /// with short jittered backoff, so that while waiting it can say who holds it. Each attempt is
    /// bounded by lockTimeoutSec, attempts are retried maxRetries times with exponential backoff,
    /// and the whole wait by maxWaitSec; giving up throws ErrorCode::LockTimeout naming the holder.
    /// Released in the destructor (and by the server if the connection dies).
    class MigrationLock final
    {
    public:
        using WaitingCallback = std::function<void(const LockHolder &holder, int waitedMs)>;

        /// Exclusive: the migrator's lock. Shared: granted together to every waiter once no
        /// migrator holds the lock, so that waiters can check in parallel whether their work is
        /// already done instead of queueing one by one for the exclusive lock.
        enum class Mode
        {
            Exclusive,
            Shared
        };

        MigrationLock(PgConnection &conn, qint64 key, const MigrationSettings &settings, CancelToken *token,
                      const WaitingCallback &onWaiting = {}, Mode mode = Mode::Exclusive);
        ~MigrationLock();
        MigrationLock(const MigrationLock &) = delete;
        MigrationLock &operator=(const MigrationLock &) = delete;

        /// Releases the lock now (the destructor then does nothing). True when the server said it
        /// was held and is now released; false when the session is gone (the server frees it as it
        /// ends the session) or the unlock failed.
        bool release();
        qint64 key() const { return m_key; }
        int waitedMs() const { return m_waitedMs; }
        /// The last holder seen while waiting, if we had to wait.
        const std::optional<LockHolder> &waitedFor() const { return m_waitedFor; }

        /// Who holds the advisory lock `key` in the current database, if anyone (an exclusive
        /// holder first).
        static std::optional<LockHolder> holder(PgConnection &conn, qint64 key, CancelToken *token = nullptr);

    private:
        PgConnection &m_conn;
        qint64 m_key;
        Mode m_mode;
        int m_waitedMs = 0;
        std::optional<LockHolder> m_waitedFor;
        bool m_released = false;
    };
}
