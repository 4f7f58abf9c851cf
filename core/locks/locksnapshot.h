#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace dbops
{
    /// One server process as pg_stat_activity reports it, with what the lock monitor adds: how
    /// many pg_locks rows it has, whether it waits on a lock, and PostgreSQL's own answer
    /// (pg_blocking_pids) to who blocks it. Plain data; crosses threads by value (STYLE C6).
    struct BackendSession
    {
        int pid = 0;
        QString database;
        QString user;
        QString application;
        QString clientAddress;
        QString backendType;
        QString state; ///< active, idle, idle in transaction, ...; empty for background processes
        QString waitEventType;
        QString waitEvent;
        QDateTime backendStart;
        QDateTime transactionStart;
        QDateTime queryStart;
        QDateTime stateChange;
        QDateTime waitStart; ///< when its lock wait began (pg_locks.waitstart on 14+, else state_change)
        QString query;
        int leaderPid = 0;    ///< the leader of a parallel worker, 0 otherwise (13+)
        int lockCount = 0;    ///< its rows in pg_locks
        bool waiting = false; ///< has a lock request not granted
        QList<int> blockedBy;

        bool isIdleInTransaction() const { return state.startsWith(QLatin1StringView("idle in transaction")); }
        /// The classic production blocker: idle in a transaction while holding locks.
        bool isIdleInTransactionHoldingLocks() const { return isIdleInTransaction() && lockCount > 0; }
        /// Milliseconds it has waited for a lock at `now`, 0 when not waiting.
        qint64 waitMs(const QDateTime &now) const;
        QJsonObject toJson() const;
        /// Several lines for an incident ticket.
        QString toText(const QDateTime &now) const;
    };

    /// An aggregated lock entry: pg_locks rows of one session on one target in one mode.
    struct HeldLock
    {
        int pid = 0;
        QString lockType;
        QString database;
        quint32 relationOid = 0;
        QString relation; ///< schema-qualified, when the relation is in the connected database
        QString mode;
        bool granted = true;
        qint64 page = -1;  ///< first page of the folded rows, -1 when none
        qint64 tuple = -1; ///< first tuple of the folded rows, -1 when none
        QString virtualXid;
        QString transactionId;
        quint32 classId = 0;
        quint32 objId = 0;
        int objSubId = 0;
        int count = 1; ///< pg_locks rows folded into this entry
        QDateTime waitStart;
        QString migrationLock; ///< "sqlx migration lock on db app" when recognised

        bool isAdvisory() const { return lockType == QLatin1StringView("advisory"); }
        /// The bigint key of pg_advisory_lock(bigint): classid is the high half, objid the low, objsubid 1.
        std::optional<qint64> advisoryKey() const;
        /// What the lock is on, for people: "public.orders", "advisory 12345 (sqlx migration lock on db app)".
        QString target() const;
        QJsonObject toJson() const;
    };

    struct BlockingEdge
    {
        int waiter = 0;
        int blocker = 0;
        bool operator==(const BlockingEdge &o) const { return waiter == o.waiter && blocker == o.blocker; }
    };

    /// A session's place in the blocking forest. Each waiter hangs under the blocker furthest
    /// from a root (so A -> B -> C rather than A -> C), and lists its other blockers.
    struct BlockingNode
    {
        int pid = 0;
        int parent = 0;      ///< 0 for a root
        int depth = 0;       ///< 0 for a root
        QList<int> children; ///< the waiters it is the primary blocker of
        QList<int> otherBlockers;
        bool inCycle = false;     ///< part of a wait cycle (a deadlock in the making)
        int blockedCount = 0;     ///< sessions under it, transitively
        int chainDepth = 0;       ///< levels under it
        qint64 longestWaitMs = 0; ///< the longest lock wait under it (itself included)
    };

    struct BlockingTree
    {
        QList<int> roots; ///< root blockers, most blocked first; a cycle is entered at its lowest pid
        QHash<int, BlockingNode> nodes;
        QList<QList<int>> cycles; ///< each a wait cycle: pid waits on the next, the last on the first

        bool isEmpty() const { return nodes.isEmpty(); }
        const BlockingNode *node(int pid) const;
        /// Pre-order: roots first, then whom they block.
        QList<int> preorder() const;
    };

    /// A recognised migration lock: which tool's key, who holds it, who waits for it.
    struct MigrationLockState
    {
        QString tool; ///< "sqlx", "flyway", ...
        QString name; ///< "sqlx migration lock on db app"
        QString database;
        qint64 key = 0;
        int holderPid = 0;     ///< 0 when only waited for
        QDateTime holderSince; ///< the holder's backend start: pg_locks keeps no grant time, and the lock is no older
        QList<int> waiters;
        QJsonObject toJson() const;
    };

    /// Everything one refresh learnt, as plain data.
    struct LockSnapshot
    {
        QDateTime capturedAt; ///< the server's now(): durations are measured against it
        int serverVersionNum = 0;
        QString currentDatabase;
        QList<BackendSession> sessions; ///< ordered by pid
        QList<HeldLock> locks;
        QList<BlockingEdge> edges;
        BlockingTree tree;
        QList<MigrationLockState> migrationLocks;
        qint64 lockRows = 0;     ///< rows in pg_locks (ours excluded)
        qint64 detailedRows = 0; ///< rows represented by `locks`
        qint64 foldedRows() const { return lockRows - locks.size(); }
        qint64 elapsedMs = 0;             ///< the round trip
        QHash<int, qsizetype> sessionRow; ///< pid -> index in sessions; rebuilt by reindex()

        void reindex();

        const BackendSession *session(int pid) const;
        QList<HeldLock> locksOf(int pid) const;
        /// The lock a waiting session waits for, if it is in the snapshot.
        const HeldLock *awaitedLock(int pid) const;

        struct StateCounts
        {
            int active = 0;
            int idleInTransaction = 0;
            int idle = 0;
            int waiting = 0;
            int idleInTransactionHoldingLocks = 0;
        };
        StateCounts stateCounts() const;

        QJsonObject toJson() const;
        /// The blocking forest as indented text (dbops locks).
        QString treeText() const;
    };
}

Q_DECLARE_METATYPE(dbops::LockSnapshot)
