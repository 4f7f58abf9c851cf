#pragma once

#include "core/locks/locksnapshot.h"

#include <functional>

namespace dbops
{
    /// Builds the blocking forest from pg_blocking_pids() edges (waiter -> blocker). Pure: no
    /// database, no Qt objects; used by the snapshot and tested on its own.
    /// Roots are sessions that block others and wait on nobody, most blocked first. A waiter
    /// blocked by several sessions hangs under the one furthest from a root and lists the rest as
    /// otherBlockers. Wait cycles (every member waits on another) are reported in `cycles` and
    /// entered at their lowest pid, marked inCycle. `waitMs(pid)` gives each session's lock wait.
    class BlockingGraph final
    {
    public:
        static BlockingTree build(const QList<BlockingEdge> &edges, const std::function<qint64(int)> &waitMs = {});
    };
}
