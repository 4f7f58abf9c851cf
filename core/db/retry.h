#pragma once

#include "core/error.h"

#include <QString>

#include <functional>

namespace dbops
{
    class CancelToken;

    /// Exponential backoff with jitter (seed 000: MIGRATION_RETRY_BACKOFF, MIGRATION_MAX_RETRIES).
    struct RetryPolicy
    {
        int maxRetries = 3;          ///< retries after the first attempt
        int initialBackoffMs = 1000; ///< the first delay; doubled each retry
        double multiplier = 2.0;
        int maxBackoffMs = 30000;
        double jitter = 0.25; ///< each delay is scaled by a random factor in [1-j, 1+j]

        /// The delay before retry number `retry` (1-based), jitter included.
        int delayMs(int retry) const;
    };

    /// True for failures worth retrying: lost or refused connections, a server starting up or
    /// shutting down, serialization failures, deadlocks and lock timeouts. Authentication failures
    /// and SQL errors are not transient.
    bool isTransient(const Error &error);

    /// Sleeps `ms`, waking early (and throwing Cancelled) if the token is cancelled.
    void interruptibleSleep(int ms, CancelToken *token);

    /// Logs one retry at warning level (used by withRetry).
    void logRetry(const QString &what, int retry, int maxRetries, int delayMs, const Error &error);

    /// One budget for every wait of one operation: connect attempts, the delays between retries
    /// and the lock wait (seed 000: MIGRATION_MAX_WAIT_TIME, MIGRATION_MAX_RETRIES). Nested loops
    /// (a connection's own retries inside a migrator's) draw on the same budget instead of
    /// multiplying each other. Only waiting is counted, never the time spent doing work, so a long
    /// migration does not use up the retries of the next step. Used on one thread.
    class RetryBudget final
    {
    public:
        /// maxWaitMs < 0: unlimited time (only maxRetries bounds it). `setting` names the bound in
        /// messages ("MIGRATION_MAX_WAIT_TIME / --max-wait").
        RetryBudget(int maxRetries = 3, qint64 maxWaitMs = -1, QString setting = {});

        qint64 maxWaitMs() const { return m_maxWaitMs; }
        qint64 spentMs() const { return m_spentMs; }
        /// What is left of the time (INT64_MAX when unlimited; 0 when spent).
        qint64 remainingMs() const;
        int attempts() const { return m_attempts; }
        int retriesUsed() const { return m_retries; }
        /// True once retry() refused: the error thrown then already tells the whole story.
        bool gaveUp() const { return m_gaveUp; }

        /// Counts time spent waiting (a connect attempt, the lock wait).
        void spend(qint64 ms);
        /// Counts one attempt of `what` that failed with `error` (for the final message).
        void noteFailure(const QString &what, const Error &error);
        /// After a transient failure: when a retry is left and its delay fits in the remaining
        /// time, logs it, sleeps the delay (interruptible) and returns true; else false.
        bool retry(const RetryPolicy &policy, CancelToken *token);
        /// The error once retry() said no: how long it tried, how many attempts, the budget, and
        /// the last reason; the code and SQLSTATE of the last error (Connect: exit 3).
        Error exhausted(const Error &last) const;

    private:
        int m_maxRetries;
        qint64 m_maxWaitMs;
        QString m_setting;
        qint64 m_spentMs = 0;
        int m_attempts = 0;
        int m_retries = 0;
        bool m_gaveUp = false;
        QString m_lastWhat;
    };

    /// Runs fn; on a transient dbops::Exception waits and tries again, up to policy.maxRetries
    /// times, logging each retry with `what`. Rethrows the last error.
    template <typename Fn>
    auto withRetry(const RetryPolicy &policy, CancelToken *token, const QString &what, Fn &&fn) -> decltype(fn())
    {
        for (int retry = 0;; ++retry)
        {
            try
            {
                return fn();
            }
            catch (const Exception &e)
            {
                if (retry >= policy.maxRetries || !isTransient(e.error()))
                    throw;
                const int delay = policy.delayMs(retry + 1);
                logRetry(what, retry + 1, policy.maxRetries, delay, e.error());
                interruptibleSleep(delay, token);
            }
        }
    }
}
