#pragma once

#include <QDeadlineTimer>
#include <QThread>

#include <functional>

namespace dbops::test
{
    /// Deadline polling, the one way a test (or a benchmark's set-up) waits for something that has
    /// no signal: a backend showing up in pg_stat_activity, a child's file, a flag set on another
    /// thread. Checks `condition` until it holds or `timeoutMs` has passed, with a short pause
    /// between checks; returns the last check. The deadline only bounds a failure: under load a
    /// condition may take many seconds, so callers pass generous deadlines instead of tuning them.
    /// Runs on any thread and does not process events (on the test thread, prefer
    /// QTRY_*_WITH_TIMEOUT when queued signals must be delivered meanwhile). Header-only, so that
    /// bench/ can use it without linking the test library.
    inline bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 60000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired())
        {
            if (condition())
                return true;
            QThread::msleep(10); // the poll interval, not a wait for the condition
        }
        return condition();
    }
}
