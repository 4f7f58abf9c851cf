#pragma once

#include "ui/main/mainwindow.h"

namespace dbops
{
    class EnvMatrixView;
    class FolderWatcher;
    class TimelineView;

    struct TimelineViews
    {
        TimelineView *timeline = nullptr;
        EnvMatrixView *matrix = nullptr;
        FolderWatcher *timelineFiles = nullptr; ///< the timeline's migrations folder and its files
    };

    /// Adds "Migration timeline" and "Environments" to the window and follows its connection:
    /// the timeline shows the connected profile (with the password that worked), the matrix
    /// opens on that profile's project. Both stay fresh: the timeline reloads when its folder or a
    /// file of it changes, the matrix reloads a column when an action changed its history and
    /// re-reads the profiles when the store changed (StoreWatcher).
    TimelineViews installTimelineViews(MainWindow &window, const MainWindow::Services &services);
}
