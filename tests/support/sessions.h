#pragma once

#include "core/db/connectparams.h"
#include "core/db/pgconnection.h"
#include "core/error.h"

#include <QProcess>
#include <QStringList>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace dbops::test
{
    /// A libpq session on its own thread running statements that may block (a blocked exec blocks
    /// its thread). The connection is opened, used and closed on that thread, and stays open after
    /// the statements (a transaction left open keeps its locks) until the object is destroyed. The
    /// destructor ends a session still blocked (pg_terminate_backend from a fresh connection) and
    /// joins, so a failing test never leaves sessions or threads behind.
    class SessionThread final
    {
    public:
        SessionThread(const ConnectParams &params, QString applicationName, QStringList statements);
        ~SessionThread();
        SessionThread(const SessionThread &) = delete;
        SessionThread &operator=(const SessionThread &) = delete;

        /// The backend pid, once connected (waits up to 60 s: a bound for a failure only).
        int pid();
        /// Waits until the session's statement waits on a lock (pg_blocking_pids is not empty),
        /// polling from a fresh connection; false on timeout. Use it before starting a session
        /// that must queue behind this one.
        bool waitUntilBlocked(int ms = 60000);
        /// The statements have ended (done or failed); the session may still be open.
        bool isFinished() const { return m_finished.load(); }
        /// Waits for the statements to end; false on timeout.
        bool wait(int ms);
        /// The error that ended the statements, if any (valid after isFinished()).
        const Error &error() const { return m_error; }
        bool failed() const { return m_failed; }

    private:
        ConnectParams m_params;
        std::atomic<int> m_pid{0};
        std::atomic<bool> m_finished{false};
        std::mutex m_mutex;
        std::condition_variable m_stopRequested;
        bool m_stop = false; ///< guarded by m_mutex
        Error m_error;
        bool m_failed = false;
        std::thread m_thread;
    };

    /// The pid of another backend of `observer`'s database running a query LIKE `pattern` (and,
    /// when given, waiting on `waitEventType`), polled until it shows or `timeoutMs` passes (0 when
    /// it never did).
    int waitForBackend(PgConnection &observer, const QString &pattern, const QString &waitEventType = {}, int timeoutMs = 60000);

    /// Starts `process` as a psql of another process than this one (dbops counts its own
    /// backends as its own sessions) on the sandbox's `dbname` as `user`, with `applicationName`.
    /// It idles until its input is closed (closeWriteChannel()).
    void startPsql(QProcess &process, const QString &dbname, const QString &applicationName, const QString &user = u"postgres"_qs);
}
