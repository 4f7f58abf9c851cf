#include "ui/timeline/timelinesetup.h"

#include "core/store/storewatcher.h"
#include "ui/files/folderwatcher.h"
#include "ui/main/connectioncontroller.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/timeline/timelineview.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    TimelineViews installTimelineViews(MainWindow &window, const MainWindow::Services &services)
    {
        TimelineViews v;
        v.timeline = new TimelineView(services.jobs, services.profiles, services.store, &window);
        v.matrix = new EnvMatrixView(services.jobs, services.profiles, &window);
        v.timelineFiles = new FolderWatcher(v.timeline);
        window.addView(v.timeline, u"Migration timeline"_s);
        window.addView(v.matrix, u"Environments"_s);
        v.matrix->setPasswordCache(window.passwordCache());
        ConnectionController *c = window.connection();
        QObject::connect(c, &ConnectionController::targetChanged, v.timeline, [c, v] {
            if (c->isConnected())
                v.timeline->setProfile(c->profile(), c->sessionPassword());
            else
                v.timeline->clearProfile();
            v.timelineFiles->setFolder(v.timeline->profile().migrationsDir);
            v.matrix->setTarget(c->profile(), c->sessionPassword());
        });

        // A migrate, baseline, repair, down or adopt of this console: the timeline reloads (its
        // actions say so to it) and the matrix reloads that environment's column.
        QObject::connect(v.timeline->actions(), &TimelineActions::historyChanged, v.matrix, &EnvMatrixView::reloadColumn);
        // A profile added, edited or removed by the CLI or another console: a column comes or goes.
        QObject::connect(window.storeWatcher(), &StoreWatcher::changed, v.matrix, &EnvMatrixView::storeChanged);

        // A migration file edited, added or removed: the timeline (its states, the detail's SQL)
        // is read again. Every file of the shown timeline is watched, so an edit of an applied
        // file shows as a changed checksum, not only an edit of the selected one.
        QObject::connect(v.timeline, &TimelineView::timelineLoaded, v.timelineFiles, [v] {
            QStringList files;
            for (const TimelineRow &row : v.timeline->model()->snapshot().rows)
                if (row.hasFile && !row.path.isEmpty())
                    files << row.path;
            v.timelineFiles->setFiles(files);
        });
        QObject::connect(v.timelineFiles, &FolderWatcher::changed, v.timeline, &TimelineView::refresh);
        return v;
    }
}
