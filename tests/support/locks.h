#pragma once

#include "core/locks/lockmonitor.h"

namespace dbops::test
{
    /// One monitor refresh (a refresh already running is waited out first): true when it produced
    /// a snapshot, false when it failed (the failure is printed). The deadlines only bound a failure.
    bool monitorRefreshed(LockMonitor &monitor);
}
