#pragma once

#include "core/error.h"

#include <QString>

namespace dbops
{
    /// The migration settings of seed 000, each from the environment and overridable by a flag.
    struct MigrationSettings
    {
        int maxRetries = 3;           ///< MIGRATION_MAX_RETRIES: retries of transient failures
        int lockTimeoutSec = 30;      ///< MIGRATION_LOCK_TIMEOUT: bounds each attempt to take the lock
        int maxWaitSec = 60;          ///< MIGRATION_MAX_WAIT_TIME: bounds the whole wait for the lock
        int retryBackoffMs = 1000;    ///< MIGRATION_RETRY_BACKOFF: first delay, doubled each retry, with jitter
        int sqlLockTimeoutMs = 0;     ///< per-run lock_timeout for migration statements (0 = server default)
        int sqlStatementTimeoutMs = 0;///< per-run statement_timeout (0 = server default)
        QString historyTable;         ///< empty = the format's default

        /// Defaults, then MIGRATION_* environment variables. BadInput names a malformed variable.
        static Expected<MigrationSettings> fromEnvironment();
    };
}
