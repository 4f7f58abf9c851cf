#include "ui/timeline/timelinesetup.h"

#include "ui/main/connectioncontroller.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/timelineview.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    TimelineViews installTimelineViews(MainWindow &window, const MainWindow::Services &services)
    {
        TimelineViews v;
        v.timeline = new TimelineView(services.jobs, services.profiles, services.store, &window);
        v.matrix = new EnvMatrixView(services.jobs, services.profiles, &window);
        window.addView(v.timeline, u"Migration timeline"_s);
        window.addView(v.matrix, u"Environments"_s);
        v.matrix->setPasswordCache(window.passwordCache());
        ConnectionController *c = window.connection();
        QObject::connect(c, &ConnectionController::targetChanged, v.timeline, [c, v] {
            if (c->isConnected())
                v.timeline->setProfile(c->profile(), c->sessionPassword());
            else
                v.timeline->clearProfile();
            v.matrix->setTarget(c->profile(), c->sessionPassword());
        });
        return v;
    }
}
