#include "app/gui.h"

#include "core/db/threadguard.h"
#include "core/jobs/jobmanager.h"
#include "core/jobs/jobpool.h"
#include "core/locks/lockmonitor.h"
#include "core/logging/log.h"
#include "core/paths.h"
#include "core/sandbox/localsandbox.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "ui/backups/backupsview.h"
#include "ui/locks/locksview.h"
#include "ui/main/mainwindow.h"
#include "ui/profiles/profiledialog.h"
#include "ui/timeline/timelinesetup.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QMessageBox>
#include <QPixmap>
#include <QTabWidget>
#include <QThread>
#include <QTimer>

#include <cstdlib>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        /// Screenshot hooks for the docs and visual checks:
        ///   DBOPS_SCREENSHOT=/path.png        grab the main window after DBOPS_SCREENSHOT_DELAY ms (default 4000) and quit
        ///   DBOPS_SCREENSHOT_DIALOG=/path.png also open the profile dialog for the selected profile and grab it
        ///   DBOPS_SCREENSHOT_PROFILE=NAME    the profile the dialog edits
        ///   DBOPS_SCREENSHOT_NEW=1           the dialog is a blank "New profile" instead
        ///   DBOPS_SCREENSHOT_TEST=1          press "Test connection" in the dialog
        ///   DBOPS_SCREENSHOT_CONNECT=NAME    connect this profile at startup
        void installScreenshotHook(MainWindow &window, ProfileStore &profiles, JobManager &jobs)
        {
            const QString windowShot = qEnvironmentVariable("DBOPS_SCREENSHOT");
            const QString dialogShot = qEnvironmentVariable("DBOPS_SCREENSHOT_DIALOG");
            if (windowShot.isEmpty() && dialogShot.isEmpty())
                return;
            if (const QString name = qEnvironmentVariable("DBOPS_SCREENSHOT_CONNECT"); !name.isEmpty())
                window.connectProfile(name);
            bool ok = false;
            int delay = qEnvironmentVariableIntValue("DBOPS_SCREENSHOT_DELAY", &ok);
            if (!ok)
                delay = 4000;
            QTimer::singleShot(delay, &window, [&window, &profiles, &jobs, windowShot, dialogShot] {
                if (!windowShot.isEmpty())
                    window.grab().save(windowShot);
                if (!dialogShot.isEmpty())
                {
                    ConnectionProfile profile;
                    if (qEnvironmentVariable("DBOPS_SCREENSHOT_NEW").isEmpty())
                    {
                        if (auto p = profiles.get(qEnvironmentVariable("DBOPS_SCREENSHOT_PROFILE")); p)
                            profile = *p;
                    }
                    auto *dialog = new ProfileDialog(profile, &profiles, &jobs, &window);
                    dialog->setAttribute(Qt::WA_DeleteOnClose);
                    dialog->show();
                    if (!qEnvironmentVariable("DBOPS_SCREENSHOT_TEST").isEmpty())
                        dialog->testConnection();
                    QTimer::singleShot(2500, dialog, [dialog, dialogShot] {
                        dialog->grab().save(dialogShot);
                        QApplication::quit();
                    });
                    return;
                }
                QApplication::quit();
            });
        }
    }

    int runGui(int argc, char *argv[])
    {
        QApplication app(argc, argv);
        QApplication::setApplicationName(u"dbops"_s);
        QApplication::setApplicationDisplayName(u"dbops"_s);
        QApplication::setOrganizationName(u"dbops"_s);
        QApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));

        logging::Options logOptions;
        logOptions.stderrLevel = spdlog::level::warn;
        logging::init(logOptions);

        Store store;
        // Opened (schema brought up to date) before the window exists; the main thread's store
        // connection is closed again at once: from here on the store is used by jobs only.
        Expected<void> opened;
        {
            Store::ThreadConnectionScope scope;
            opened = store.open();
        }
        if (!opened)
        {
            spdlog::critical("cannot open the store {}: {}", store.path(), opened.error().toString());
            QMessageBox::critical(nullptr, u"dbops"_s,
                                  u"dbops cannot open its store\n%1\n\n%2"_s.arg(store.path(), opened.error().toString()));
            return 2;
        }
        ProfileStore profiles(store);
        JobManager jobs;

        // Only a sandbox this process starts is stopped at exit (a file check, not a process).
        const bool sandboxWasRunning = LocalSandbox::isRunning();

        int code = 0;
        {
            LockMonitor lockMonitor(jobs, &profiles, &store); // outlives the window and its Locks view
            MainWindow window({.store = &store, .profiles = &profiles, .jobs = &jobs});
            setGuiThread(QThread::currentThread()); // PgConnection counts (and logs) any database call made on it
            const TimelineViews timelineViews = installTimelineViews(window, {.store = &store, .profiles = &profiles, .jobs = &jobs});
            const int locksTab = window.addView(new LocksView(&lockMonitor, window.connection()), u"Locks"_s);
            if (qEnvironmentVariable("DBOPS_SCREENSHOT_VIEW") == u"locks"_s) // screenshots: open on the Locks view
                window.views()->setCurrentIndex(locksTab);
            const int backupsTab = window.addView(new BackupsView(&store, &profiles, &jobs, window.connection()), u"Backups"_s);
            if (qEnvironmentVariable("DBOPS_SCREENSHOT_VIEW") == u"backups"_s)
                window.views()->setCurrentIndex(backupsTab);
            window.show();
            window.startSession();
            installScreenshotHook(window, profiles, jobs);
            installTimelineScreenshots(window, timelineViews);
            code = QApplication::exec();
        }

        // One bounded wait at exit, after the window is gone (nothing left to freeze): the jobs are
        // cancelled (their cancel requests go out from workers) and get 5 s in all to end, those of
        // the JobManager and those of the pools the views and services released (JobPool).
        const QDeadlineTimer exitDeadline(5000);
        jobs.shutdown(int(exitDeadline.remainingTime()));
        JobPool::waitForReleased(int(exitDeadline.remainingTime()));
        if (!sandboxWasRunning && LocalSandbox::isRunning())
        {
            spdlog::info("stopping the local sandbox started by this session");
            if (auto stopped = LocalSandbox::stop(); !stopped)
                spdlog::warn("could not stop the local sandbox: {}", stopped.error().toString());
        }
        if (const int stuck = jobs.activeCount() + JobPool::releasedPending(); stuck > 0)
        {
            // Still blocked on the network after the wait (e.g. a connect to a server that does
            // not answer): end the process now rather than destroy the store and the profiles
            // under a worker that may still use them.
            spdlog::warn("exiting with {} job(s) still waiting on the network", stuck);
            spdlog::default_logger()->flush();
            std::_Exit(code);
        }
        return code;
    }
}
