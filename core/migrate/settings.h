#pragma once

#include "core/error.h"

#include <QString>

namespace dbops
{
    /// The migration settings of seed 000, each from the environment and overridable by a flag.
    struct MigrationSettings
    {
        int maxRetries = 3;            ///< MIGRATION_MAX_RETRIES: retries of transient failures
        int lockTimeoutSec = 30;       ///< MIGRATION_LOCK_TIMEOUT: bounds each attempt to take the lock
        int maxWaitSec = 60;           ///< MIGRATION_MAX_WAIT_TIME: bounds the whole wait for the lock
        int retryBackoffMs = 1000;     ///< MIGRATION_RETRY_BACKOFF: first delay, doubled each retry, with jitter
        int sqlLockTimeoutMs = 0;      ///< per-run lock_timeout for migration statements (0 = server default)
        int sqlStatementTimeoutMs = 0; ///< per-run statement_timeout (0 = server default)
        QString historyTable;          ///< empty = the format's default
        /// RUN_MIGRATIONS (seed 000): false switches `migrate` (and fleet migrate) off: it logs so and
        /// succeeds without connecting. Only applying is switched off; info, validate, repair, down
        /// and the GUI's explicit actions are not.
        bool runMigrations = true;

        /// Defaults, then the environment: MIGRATION_* and RUN_MIGRATIONS (true/1/yes or
        /// false/0/no, any case, surrounding blanks ignored; anything else, an empty value included,
        /// is BadInput naming the value). BadInput names a malformed variable.
        static Expected<MigrationSettings> fromEnvironment();
        /// Parses a RUN_MIGRATIONS value as fromEnvironment does.
        static Expected<bool> parseRunMigrations(const QString &value);
    };
}
