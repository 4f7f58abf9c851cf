#pragma once

#include "core/locks/locksnapshot.h"

namespace dbops
{
    /// One advisory key a migration tool takes, computed exactly as that tool does.
    struct MigrationLockKey
    {
        QString tool; ///< "dbops", "sqlx", "Flyway", ...
        qint64 key = 0;
        QString name; ///< "sqlx migration lock on db app"
    };

    /// Recognises the migration locks of dbops, sqlx, Flyway, golang-migrate, Sqitch,
    /// node-pg-migrate, graphile-migrate and Atlas among a snapshot's advisory locks, using each
    /// tool's default history table where the key depends on it. Pure: no database.
    class MigrationLockCatalog final
    {
    public:
        /// Sqitch (lib/App/Sqitch/Engine/pg.pm): pg_advisory_lock(75474063).
        static constexpr qint64 kSqitchKey = 75474063LL;
        /// graphile-migrate (src/pg.ts, ADVISORY_LOCK_MIGRATE): "GRAPHILE MIGRATE" on a phone keypad.
        static constexpr qint64 kGraphileMigrateKey = 4727445306447283LL;
        /// The lock name `atlas migrate apply` takes (cmd/atlas/internal/cmdapi/migrate.go).
        static QString atlasLockName();
        /// Atlas (sql/postgres/driver.go, Driver.Lock): FNV-1 32-bit of the lock name, as a bigint.
        static qint64 atlasLockKey(const QString &name);

        /// Every tool's key for a database (default schemas and history tables).
        static QList<MigrationLockKey> candidatesFor(const QString &database);
        /// Names the recognised advisory locks (HeldLock::migrationLock) and fills
        /// snapshot.migrationLocks: holder, since when, and who waits.
        static void recognise(LockSnapshot &snapshot);
    };
}
