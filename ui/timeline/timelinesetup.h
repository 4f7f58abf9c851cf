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
}
