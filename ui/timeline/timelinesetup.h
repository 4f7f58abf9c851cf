#pragma once

#include "ui/main/mainwindow.h"

namespace dbops
{
    class EnvMatrixView;
    class TimelineView;

    struct TimelineViews
    {
        TimelineView *timeline = nullptr;
        EnvMatrixView *matrix = nullptr;
    };

    /// Adds "Migration timeline" and "Environments" to the window and follows its connection:
    /// the timeline shows the connected profile (with the password that worked), the matrix
    /// opens on that profile's project.
    TimelineViews installTimelineViews(MainWindow &window, const MainWindow::Services &services);

    /// Screenshot hooks for the docs (run under Xvfb), read from the environment:
    ///   DBOPS_SCREENSHOT_TIMELINE=/path.png   the window with the timeline tab, once it loaded
    ///   DBOPS_SCREENSHOT_DIFF=/path.png       ... with the first checksum mismatch selected
    ///   DBOPS_SCREENSHOT_PLAN=/path.png       the plan dialog of "Apply pending"
    ///   DBOPS_SCREENSHOT_MATRIX=/path.png     the window with the Environments tab, once loaded
    /// Returns false when none is set.
    bool installTimelineScreenshots(MainWindow &window, const TimelineViews &views);
}
