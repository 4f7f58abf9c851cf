#include "ui/console/consoleviews.h"

#include "core/locks/lockmonitor.h"
#include "core/ops/backupops.h"
#include "ui/backups/backupsview.h"
#include "ui/diff/diffview.h"
#include "ui/locks/locksview.h"
#include "ui/timeline/timelinesetup.h"
#include "ui/timeline/timelineview.h"

#include <QTabWidget>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ConsoleViews installConsoleViews(MainWindow &window, LockMonitor &lockMonitor)
    {
        const MainWindow::Services &services = window.services();
        const TimelineViews timeline = installTimelineViews(window, services);
        ConsoleViews views;
        views.timeline = timeline.timeline;
        views.matrix = timeline.matrix;
        views.locks = new LocksView(&lockMonitor, window.connection());
        window.addView(views.locks, u"Locks"_s);
        views.backups = new BackupsView(services.store, services.profiles, services.jobs, window.connection());
        views.backups->watchStore(window.storeWatcher()); // a CLI backup, a pre-migration one: shown by themselves
        views.backups->setOwnSessions(ops::lockMonitorUsers(lockMonitor.pauseHandle())); // a replace closes the monitor's session
        window.addView(views.backups, u"Backups"_s);
        views.diff = new DiffView(services.store, services.profiles, services.jobs, window.connection());
        views.diff->setPasswordCache(window.passwordCache());
        window.addView(views.diff, u"Schema diff"_s);
        // Save as migration offers the timeline, where the new file shows as pending.
        QObject::connect(views.diff, &DiffView::openTimelineRequested, &window,
                         [&window, views](const QString &) { window.views()->setCurrentWidget(views.timeline); });
        // The timeline's drift badge opens this view on the drift check of the connected profile.
        QObject::connect(views.timeline, &TimelineView::driftClicked, &window, [&window, views](const QString &) {
            window.views()->setCurrentWidget(views.diff);
            views.diff->presetDriftCheck();
        });
        return views;
    }
}
