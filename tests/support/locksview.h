#pragma once

// For UI suites only (they link dbops_ui): refreshing the Locks view until it shows what a test waits for.

#include "core/error.h"
#include "core/locks/lockmonitor.h"
#include "ui/locks/locksview.h"

#include <QDeadlineTimer>
#include <QSignalSpy>

#include <algorithm>
#include <functional>

namespace dbops::test
{
    /// Asks for a refresh and waits until the view shows a snapshot (a refresh already running
    /// counts). A refresh that failed (a slow server under load) is printed and asked for again.
    /// The deadline only bounds a failure: under load a snapshot may take many seconds.
    inline bool refreshOnce(LocksView &view, LockMonitor &monitor, int timeoutMs = 60000)
    {
        QSignalSpy shown(&view, &LocksView::snapshotShown);
        QSignalSpy failed(&monitor, &LockMonitor::refreshFailed);
        view.refreshNow();
        const QDeadlineTimer deadline(timeoutMs);
        while (shown.isEmpty() && !deadline.hasExpired())
        {
            if (!failed.isEmpty())
            {
                qWarning("a refresh failed, asking again: %s", qPrintable(failed.takeFirst().at(0).value<Error>().toString()));
                view.refreshNow();
            }
            shown.wait(int(std::min<qint64>(200, std::max<qint64>(1, deadline.remainingTime()))));
        }
        return !shown.isEmpty();
    }

    /// Refreshes until `ready` holds.
    inline bool refreshUntil(LocksView &view, LockMonitor &monitor, const std::function<bool()> &ready, int timeoutMs = 90000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired())
            if (refreshOnce(view, monitor, int(std::max<qint64>(1, deadline.remainingTime()))) && ready())
                return true;
        return false;
    }
}
