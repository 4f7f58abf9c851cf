#pragma once

#include "core/db/connectparams.h"
#include "core/db/queryresult.h"
#include "core/db/retry.h"
#include "core/error.h"

#include <QVariantList>

#include <functional>
#include <memory>

namespace dbops
{
    class CancelToken;

    struct ConnectOptions
    {
        int connectTimeoutSec = 10;
        QString applicationName = QStringLiteral("dbops");
        /// Transient connect failures (refused, closed unexpectedly, starting up) are retried with
        /// this policy; authentication failures never are.
        RetryPolicy retry{.maxRetries = 3, .initialBackoffMs = 250, .multiplier = 2.0, .maxBackoffMs = 5000, .jitter = 0.25};
        /// The operation's one budget, shared with its own retry loop (not owned). When set, it
        /// bounds the attempts and the time instead of retry.maxRetries: each attempt's
        /// connect_timeout is cut to what is left of it (libpq waits at least 2 s), and giving up
        /// says how long it tried, how many attempts, the budget and the last reason.
        RetryBudget *budget = nullptr;
    };

    /// One step of a pipelined batch: a single statement with $n parameters.
    struct PipelineStep
    {
        QString sql;
        QVariantList params;
    };

    /// A libpq connection (STYLE P1/P2): RAII handles, parameterised queries, errors with SQLSTATE,
    /// server notices to the log, cancel through a CancelToken.
    /// Thread affinity: used by one thread at a time and never shared across threads (P5); only
    /// the cancel request may come from another thread, through the token's hook.
    class PgConnection final
    {
    public:
        ~PgConnection();
        PgConnection(const PgConnection &) = delete;
        PgConnection &operator=(const PgConnection &) = delete;

        /// Connects, retrying transient failures. Throws dbops::Exception: Auth for a rejected
        /// password, Connect for an unreachable server, BadInput for bad parameters.
        static std::unique_ptr<PgConnection> open(const ConnectParams &params, const ConnectOptions &options = {},
                                                  CancelToken *token = nullptr);
        static Expected<std::unique_ptr<PgConnection>> tryOpen(const ConnectParams &params, const ConnectOptions &options = {},
                                                               CancelToken *token = nullptr);

        /// Runs sql. With params it is one statement sent with PQexecParams ($1, $2, ...);
        /// without, it may hold several statements (simple query protocol). Throws on error;
        /// a cancelled token turns the server's 57014 into ErrorCode::Cancelled.
        QueryResult exec(const QString &sql, const QVariantList &params = {}, CancelToken *token = nullptr);
        Expected<QueryResult> tryExec(const QString &sql, const QVariantList &params = {}, CancelToken *token = nullptr);

        /// Sends every step in one round trip (libpq pipeline mode) and reads every result.
        /// On the first failing step, throws its error with `failedStep` set to its index; the
        /// steps after it are aborted by the server. `onStepDone(i)` is called as each step's
        /// result arrives (per-statement progress without extra round trips).
        QList<QueryResult> execPipeline(const QList<PipelineStep> &steps, CancelToken *token = nullptr, int *failedStep = nullptr,
                                        const std::function<void(int)> &onStepDone = {});

        QString escapeIdentifier(const QString &identifier) const;
        QString escapeLiteral(const QString &literal) const;

        bool isOk() const;
        int serverVersionNum() const;
        QString serverVersion() const; ///< "15.18"
        int backendPid() const;
        bool sslInUse() const;
        QString sslAttribute(const QString &name) const;
        QString user() const;
        QString database() const;
        QString host() const;
        QString port() const;
        /// The server that answered, "host:port" (PQhost/PQport after connecting): with several
        /// hosts in the parameters, the one libpq reached; a socket directory for local sockets.
        QString answeredBy() const;
        /// The backend pids of every connection this process has open to the server that
        /// answered this one (this one's included): dbops's own sessions, as a restore must tell
        /// them from other clients'. Thread-safe. Child processes (pg_dump) are not in it.
        QList<int> ownBackendPids() const;
        QString parameterStatus(const QString &name) const;
        const ConnectParams &params() const;

        /// Server notices (RAISE NOTICE, warnings) go to the log; this adds a listener too.
        void setNoticeListener(std::function<void(const QString &severity, const QString &message)> listener);

        struct Impl; ///< private; public only so the libpq notice callback can name it

    private:
        explicit PgConnection(std::unique_ptr<Impl> impl);
        std::unique_ptr<Impl> d;
    };
}
