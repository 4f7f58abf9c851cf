#include "ui/timeline/timelinesetup.h"

#include "ui/main/connectioncontroller.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/timeline/timelineview.h"

#include <QApplication>
#include <QTabWidget>
#include <QTimer>

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
        ConnectionController *c = window.connection();
        QObject::connect(c, &ConnectionController::stateChanged, v.timeline, [c, v](ConnectionController::State state) {
            switch (state)
            {
            case ConnectionController::State::Connected:
            {
                v.timeline->setProfile(c->profile(), c->sessionPassword());
                v.matrix->setKnownPassword(c->profile().name, c->sessionPassword());
                if (!c->profile().project.isEmpty())
                    v.matrix->setProject(c->profile().project);
                break;
            }
            case ConnectionController::State::Disconnected:
                v.timeline->clearProfile();
                break;
            default:
                break;
            }
        });
        return v;
    }

    bool installTimelineScreenshots(MainWindow &window, const TimelineViews &views)
    {
        const QString timelineShot = qEnvironmentVariable("DBOPS_SCREENSHOT_TIMELINE");
        const QString diffShot = qEnvironmentVariable("DBOPS_SCREENSHOT_DIFF");
        const QString planShot = qEnvironmentVariable("DBOPS_SCREENSHOT_PLAN");
        const QString matrixShot = qEnvironmentVariable("DBOPS_SCREENSHOT_MATRIX");
        if (timelineShot.isEmpty() && diffShot.isEmpty() && planShot.isEmpty() && matrixShot.isEmpty())
            return false;
        // The main hook connects only when it grabs something itself.
        if (qEnvironmentVariable("DBOPS_SCREENSHOT").isEmpty() && qEnvironmentVariable("DBOPS_SCREENSHOT_DIALOG").isEmpty())
            if (const QString name = qEnvironmentVariable("DBOPS_SCREENSHOT_CONNECT"); !name.isEmpty())
                window.connectProfile(name);
        QTabWidget *tabs = window.views();
        auto *state = new QObject(&window);
        const auto grabLater = [&window](int ms, std::function<void()> fn) { QTimer::singleShot(ms, &window, std::move(fn)); };
        QObject::connect(views.timeline, &TimelineView::timelineLoaded, state, [=, &window](int) {
            delete state; // once
            tabs->setCurrentWidget(views.timeline);
            grabLater(1200, [=, &window] {
                if (!timelineShot.isEmpty())
                    window.grab().save(timelineShot);
                if (!diffShot.isEmpty())
                {
                    TimelineModel *m = views.timeline->model();
                    for (int r = 0; r < m->rowCount(); ++r)
                        if (MigrationState(m->index(r, 0).data(TimelineModel::StateRole).toInt()) == MigrationState::ChecksumMismatch)
                            views.timeline->selectVersion(m->index(r, 0).data(TimelineModel::VersionRole).toString());
                    QApplication::processEvents();
                    window.grab().save(diffShot);
                }
                auto matrixThen = [=, &window] {
                    if (matrixShot.isEmpty())
                    {
                        QApplication::quit();
                        return;
                    }
                    tabs->setCurrentWidget(views.matrix);
                    views.matrix->refresh();
                    QObject::connect(views.matrix, &EnvMatrixView::allLoaded, &window, [=, &window] {
                        QTimer::singleShot(800, &window, [=, &window] {
                            window.grab().save(matrixShot);
                            QApplication::quit();
                        });
                    });
                };
                if (!planShot.isEmpty())
                {
                    QObject::connect(views.timeline->actions(), &TimelineActions::planShown, &window, [=](PlanDialog *dialog) {
                        QTimer::singleShot(800, dialog, [=] {
                            dialog->grab().save(planShot);
                            dialog->reject();
                            matrixThen();
                        });
                    });
                    views.timeline->actions()->applyPending();
                }
                else
                    matrixThen();
            });
        });
        return true;
    }
}
