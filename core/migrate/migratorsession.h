#pragma once

// Internal to the migration engine (migrator*.cpp, markapplied.cpp): the locked session.
#include "core/db/pgconnection.h"
#include "core/migrate/migrationlock.h"
#include "core/migrate/migrator.h"

#include <QStringList>

#include <memory>
#include <optional>

namespace dbops
{
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
        bool historyExisted = true; ///< false: the history table did not exist when the lock was taken
        bool historyCreated = false; ///< ensureHistory() created it in this run
        bool sharedReleased = false;
    };
}
