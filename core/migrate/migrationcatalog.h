#pragma once

#include "core/db/connectparams.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace dbops
{
    class CancelToken;
    class PgConnection;

    /// An index a migration's statement names (schema empty: the search path decides).
    struct IndexRef
    {
        QString schema;
        QString name;
    };

    /// An index that exists but is not valid (pg_index.indisvalid = false).
    struct InvalidIndex
    {
        QString index; ///< as regclass prints it (qualified when not on the search path)
        QString table;
    };

    /// Which of `indexes` exist and are invalid, in one catalog query; keyed by position in `indexes`.
    QHash<int, InvalidIndex> findInvalidIndexes(PgConnection &conn, const QList<IndexRef> &indexes, CancelToken *token);

    /// One session that holds a lock another one waits for.
    struct LockBlocker
    {
        int pid = 0;
        QString user;
        QString application;
        QString state;
        QString query;
        QString heldModes; ///< the modes it holds on the relation waited for (empty when unknown)
    };

    /// What a backend was waiting for, and who held it.
    struct LockWait
    {
        QString relation; ///< empty when the lock is not on a relation
        QString wantedMode;
        QList<LockBlocker> blockers;
        /// "waited for AccessExclusiveLock on public.t, held by pid 123 (user bob, application psql,
        /// idle in transaction, holds AccessExclusiveLock): LOCK TABLE t"
        QString toText() const;
    };

    /// The blockers of backend `pid`, seen from another connection (pg_blocking_pids).
    LockWait lockWaitOf(PgConnection &observer, int pid, CancelToken *token);

    /// Watches one backend from a second connection of its own, on a thread of its own, and keeps
    /// the last lock wait it saw, so that a statement that ends in a lock timeout can say who held
    /// the lock (once it has failed, the server no longer knows what it waited for). Polls every
    /// `intervalMs` while it lives; a failed connection only means nothing is seen. Thread-safe.
    class LockWaitWatcher final
    {
    public:
        LockWaitWatcher(ConnectParams params, int pid, int intervalMs);
        ~LockWaitWatcher();
        LockWaitWatcher(const LockWaitWatcher &) = delete;
        LockWaitWatcher &operator=(const LockWaitWatcher &) = delete;

        /// Forgets what was seen (call before each attempt, so a report never names an older wait).
        void reset();
        /// The last wait seen since reset(), if any.
        std::optional<LockWait> lastSeen() const;

    private:
        struct State;
        std::shared_ptr<State> m_state;
    };
}
