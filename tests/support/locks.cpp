#include "tests/support/locks.h"

#include "core/error.h"

#include <QDebug>
#include <QSignalSpy>
#include <QTest>

namespace dbops::test
{
    bool monitorRefreshed(LockMonitor &monitor)
    {
        QSignalSpy ok(&monitor, &LockMonitor::snapshotReady);
        QSignalSpy failed(&monitor, &LockMonitor::refreshFailed);
        if (!QTest::qWaitFor([&] { return !monitor.isRefreshing(); }, 60000) || !monitor.refresh())
            return false;
        if (!QTest::qWaitFor([&] { return ok.count() + failed.count() > 0; }, 60000))
            return false;
        if (failed.count() > 0)
            qWarning() << "refresh failed:" << failed.first().first().value<Error>().toString();
        return ok.count() == 1;
    }
}
