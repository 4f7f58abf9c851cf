#pragma once

#include "ui/main/mainwindow.h"

namespace dbops
{
    class BackupsView;
    class DiffView;
    class EnvMatrixView;
    class LockMonitor;
    class LocksView;
    class TimelineView;

    /// The console's central views, as installConsoleViews() added them.
    struct ConsoleViews
    {
        TimelineView *timeline = nullptr;
        EnvMatrixView *matrix = nullptr;
        LocksView *locks = nullptr;
        BackupsView *backups = nullptr;
        DiffView *diff = nullptr;
    };

    /// The one composition of the console (dbops-gui, the screenshot tool and the UI tests use
    /// it): every central view in its order, each following the window's one target. The lock
    /// monitor must outlive the window.
    ConsoleViews installConsoleViews(MainWindow &window, LockMonitor &lockMonitor);
}
