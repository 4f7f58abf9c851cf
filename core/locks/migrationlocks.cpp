#include "core/locks/migrationlocks.h"

#include "core/migrate/dbopshistory.h"
#include "core/migrate/foreignhistory.h"
#include "core/migrate/toolkeys.h"

#include <QMap>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString MigrationLockCatalog::atlasLockName()
    {
        return u"atlas_migrate_execute"_s;
    }

    qint64 MigrationLockCatalog::atlasLockKey(const QString &name)
    {
        // Go's hash/fnv New32 is FNV-1 (multiply, then xor), not FNV-1a.
        quint32 h = 2166136261u;
        for (const char c : name.toUtf8())
        {
            h *= 16777619u;
            h ^= quint8(c);
        }
        return qint64(h);
    }

    QList<MigrationLockKey> MigrationLockCatalog::candidatesFor(const QString &database)
    {
        const QString on = u" migration lock on db "_s + database;
        return {
            {u"dbops"_s, DbopsHistory::lockKeyFor(database, u"public"_s, u"dbops_schema_history"_s), u"dbops"_s + on},
            {u"sqlx"_s, sqlxLockKey(database), u"sqlx"_s + on},
            {u"Flyway"_s, flywayLockKey(u"public"_s, u"flyway_schema_history"_s), u"Flyway"_s + on},
            {u"golang-migrate"_s, golangMigrateLockKey(u"public"_s, u"schema_migrations"_s, database), u"golang-migrate"_s + on},
            {u"Sqitch"_s, kSqitchKey, u"Sqitch"_s + on},
            {u"node-pg-migrate"_s, NodePgMigrateHistory::kLockKey, u"node-pg-migrate"_s + on},
            {u"graphile-migrate"_s, kGraphileMigrateKey, u"graphile-migrate"_s + on},
            {u"Atlas"_s, atlasLockKey(atlasLockName()), u"Atlas"_s + on},
        };
    }

    void MigrationLockCatalog::recognise(LockSnapshot &snapshot)
    {
        QHash<QString, QHash<qint64, MigrationLockKey>> byDatabase;
        QMap<QPair<QString, qint64>, MigrationLockState> states; // ordered: stable output
        for (HeldLock &lock : snapshot.locks)
        {
            const auto key = lock.advisoryKey();
            if (!key)
                continue;
            auto db = byDatabase.find(lock.database);
            if (db == byDatabase.end())
            {
                QHash<qint64, MigrationLockKey> keys;
                for (const MigrationLockKey &k : candidatesFor(lock.database))
                    keys.insert(k.key, k);
                db = byDatabase.insert(lock.database, keys);
            }
            auto match = db->constFind(*key);
            if (match == db->cend())
                continue;
            lock.migrationLock = match->name;
            MigrationLockState &state = states[{lock.database, *key}];
            state.tool = match->tool;
            state.name = match->name;
            state.database = lock.database;
            state.key = *key;
            if (lock.granted)
            {
                state.holderPid = lock.pid;
                if (const BackendSession *s = snapshot.session(lock.pid))
                    state.holderSince = s->backendStart; // pg_locks keeps no grant time; the lock is no older than its session
            }
            else if (!state.waiters.contains(lock.pid))
                state.waiters << lock.pid;
        }
        snapshot.migrationLocks = states.values();
    }
}
