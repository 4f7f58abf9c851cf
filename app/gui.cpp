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
#include "ui/timeline/timelinesetup.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QMessageBox>
#include <QThread>

#include <cstdlib>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
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
            installTimelineViews(window, {.store = &store, .profiles = &profiles, .jobs = &jobs});
            window.addView(new LocksView(&lockMonitor, window.connection()), u"Locks"_s);
            auto *backups = new BackupsView(&store, &profiles, &jobs, window.connection());
            backups->setOwnSessions(ops::lockMonitorUsers(lockMonitor.pauseHandle())); // a replace closes the monitor's session
            window.addView(backups, u"Backups"_s);
            window.show();
            window.startSession();
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
