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
        double jitter = 0.25;        ///< each delay is scaled by a random factor in [1-j, 1+j]

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
