// dbops-screenshots: opens the console's main window (the same views as dbops-gui), connects a
// profile, waits for each view to show its data, and saves one PNG per view.
//
//   xvfb-run -a -s "-screen 0 1280x800x24" dbops-screenshots --out DIR [--size 1280x800]
//       [--connect PROFILE] [--timeout-ms 30000] [--diff-demo]
//
// --diff-demo (for a demo data folder only: it changes the connected database) makes drift in the
// connected database by hand (a table and a column the migrations do not have), saves a production
// copy of the profile, and grabs the drift view: the drift check's tree with a change's DDL side by
// side (diff-tree), the online script (diff-script), the apply dialog on production
// (diff-apply-production) and, after the apply, "no drift left" (diff-no-drift).
//
// Writes DIR/<n>-<view>.png (01-migration-timeline.png, ...) and prints each path. A view whose
// data did not arrive within the timeout is grabbed as it is, and said so on stderr. Exit 0 when
// every PNG was written, 1 when one was not, 2 for bad usage.
#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/logging/log.h"
#include "core/sandbox/localsandbox.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "ui/console/consoleviews.h"
#include "core/db/pgconnection.h"
#include "core/ops/migrateops.h"
#include "core/ops/operation.h"
#include "ui/diff/difftree.h"
#include "ui/diff/diffview.h"
#include "ui/locks/locksview.h"
#include "ui/timeline/plandialog.h"
#include "ui/main/connectioncontroller.h"
#include "ui/main/mainwindow.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/timelineview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDir>
#include <QPixmap>
#include <QRegularExpression>
#include <QLabel>
#include <QLineEdit>
#include <QTabWidget>
#include <QTreeView>

#include <cstdio>
#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    /// Runs the event loop until `done()` or the deadline; true when done.
    bool waitUntil(const std::function<bool()> &done, int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!done() && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return done();
    }

    QString slug(const QString &title)
    {
        QString s = title.toLower();
        s.replace(QRegularExpression(u"[^a-z0-9]+"_s), u"-"_s);
        return s;
    }

    void say(const QString &text)
    {
        std::fprintf(stderr, "dbops-screenshots: %s\n", qUtf8Printable(text));
    }
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"dbops"_s);
    QApplication::setApplicationDisplayName(u"dbops"_s);
    QApplication::setOrganizationName(u"dbops"_s);
    QApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Saves a PNG of each view of the dbops console."_s);
    parser.addHelpOption();
    const QCommandLineOption outOption(u"out"_s, u"The folder for the PNGs (created)."_s, u"dir"_s);
    const QCommandLineOption sizeOption(u"size"_s, u"The window size, WIDTHxHEIGHT."_s, u"size"_s, u"1280x800"_s);
    const QCommandLineOption connectOption(u"connect"_s, u"The profile to connect (default: as the console starts)."_s, u"profile"_s);
    const QCommandLineOption timeoutOption(u"timeout-ms"_s, u"How long to wait for a view's data."_s, u"ms"_s, u"30000"_s);
    const QCommandLineOption diffOption(u"diff-demo"_s, u"Make drift in the connected (demo) database and grab the drift view."_s);
    parser.addOptions({outOption, sizeOption, connectOption, timeoutOption, diffOption});
    parser.process(app);

    const QRegularExpressionMatch size = QRegularExpression(u"^(\\d{2,5})x(\\d{2,5})$"_s).match(parser.value(sizeOption));
    bool timeoutOk = false;
    const int timeoutMs = parser.value(timeoutOption).toInt(&timeoutOk);
    if (!parser.isSet(outOption) || !size.hasMatch() || !timeoutOk || timeoutMs <= 0 || !parser.positionalArguments().isEmpty())
    {
        say(u"usage: dbops-screenshots --out DIR [--size WIDTHxHEIGHT] [--connect PROFILE] [--timeout-ms MS]"_s);
        return 2;
    }
    const QDir out(parser.value(outOption));
    if (!QDir().mkpath(out.path()))
    {
        say(u"cannot create the folder %1"_s.arg(out.path()));
        return 2;
    }

    logging::Options logOptions;
    logOptions.stderrLevel = spdlog::level::warn;
    logging::init(logOptions);

    Store store;
    if (auto opened = store.open(); !opened)
    {
        say(u"cannot open the store %1: %2"_s.arg(store.path(), opened.error().toString()));
        return 1;
    }
    ProfileStore profiles(store);
    JobManager jobs;
    const bool sandboxWasRunning = LocalSandbox::isRunning();

    int failed = 0;
    {
        // The composition of dbops-gui (installConsoleViews): the same views in the same order.
        LockMonitor lockMonitor(jobs, &profiles, &store);
        MainWindow window({.store = &store, .profiles = &profiles, .jobs = &jobs});
        const ConsoleViews views = installConsoleViews(window, lockMonitor);
        LocksView *locks = views.locks;

        bool timelineLoaded = false, matrixLoaded = false, locksShown = false;
        QObject::connect(views.timeline, &TimelineView::timelineLoaded, &window, [&] { timelineLoaded = true; });
        QObject::connect(views.matrix, &EnvMatrixView::allLoaded, &window, [&] { matrixLoaded = true; });
        QObject::connect(locks, &LocksView::snapshotShown, &window, [&] { locksShown = true; });

        window.resize(size.captured(1).toInt(), size.captured(2).toInt());
        window.show();
        QCoreApplication::processEvents();
        if (window.size() != QSize(size.captured(1).toInt(), size.captured(2).toInt()))
            say(u"the window is %1x%2, not %3: its minimum size does not fit"_s.arg(window.width())
                    .arg(window.height())
                    .arg(size.captured(0)));
        window.startSession();
        if (parser.isSet(connectOption))
            window.connectProfile(parser.value(connectOption));
        ConnectionController *connection = window.connection();
        if (!waitUntil([&] { return connection->state() == ConnectionController::State::Connected; }, timeoutMs))
            say(u"no profile connected within %1 ms; the views show no database"_s.arg(timeoutMs));

        QTabWidget *tabs = window.views();
        for (int i = 0; i < tabs->count(); ++i)
        {
            QWidget *view = tabs->widget(i);
            tabs->setCurrentIndex(i);
            std::function<bool()> ready = [] { return true; };
            if (view == views.timeline)
                ready = [&] { return timelineLoaded; };
            else if (view == views.matrix)
            {
                matrixLoaded = false;
                views.matrix->refresh();
                ready = [&] { return matrixLoaded; };
            }
            else if (view == locks)
                ready = [&] { return locksShown; };
            if (connection->state() == ConnectionController::State::Connected && !waitUntil(ready, timeoutMs))
                say(u"%1: its data did not arrive within %2 ms; grabbed as it is"_s.arg(tabs->tabText(i)).arg(timeoutMs));
            QCoreApplication::processEvents();
            const QString path = out.filePath(u"%1-%2.png"_s.arg(i + 1, 2, 10, QLatin1Char('0')).arg(slug(tabs->tabText(i))));
            if (window.grab().save(path))
                std::printf("%s\n", qUtf8Printable(path));
            else
            {
                say(u"cannot write %1"_s.arg(path));
                ++failed;
            }
        }
        if (parser.isSet(diffOption) && connection->state() == ConnectionController::State::Connected)
        {
            DiffView *diff = views.diff;
            const ConnectionProfile demo = connection->profile();
            const ConnectParams params = ops::resolve(ops::Target{demo, connection->sessionPassword(), &store, &profiles}, nullptr);
            {
                // The demo's migrations applied first, so that its drift check has a version to compare with.
                ops::MigrationRequest r;
                r.target = {demo, connection->sessionPassword(), &store, &profiles};
                r.options.migrationsDir = ops::resolveMigrationsDir({}, demo);
                if (auto settings = ops::settingsFromEnvironment())
                    r.options.settings = *settings;
                std::unique_ptr<TypedJob<MigrateResult>> job(
                    makeJob<MigrateResult>(u"migrate (demo)"_s, [r](JobContext &jc) { return ops::migrate(r, jc); }));
                job->run();
                if (job->state() != JobState::Succeeded)
                    say(u"the demo migrations did not apply: "_s + job->error().toString());
            }
            PgConnection::open(params)->exec(u"CREATE TABLE IF NOT EXISTS made_by_hand (id bigint PRIMARY KEY, note text);"
                                             "DO $$ BEGIN IF to_regclass('public.customers') IS NOT NULL THEN "
                                             "ALTER TABLE public.customers ADD COLUMN IF NOT EXISTS phone text; END IF; END $$;"_s);
            const auto grab = [&](QWidget *w, const QString &name) {
                QCoreApplication::processEvents();
                const QString path = out.filePath(name + u".png"_s);
                if (w->grab().save(path))
                {
                    std::printf("%s\n", qUtf8Printable(path));
                    std::fflush(stdout);
                }
                else
                    ++failed;
            };
            tabs->setCurrentWidget(diff);
            bool compared = false;
            QObject::connect(diff, &DiffView::compared, &window, [&] { compared = true; });
            diff->presetDriftCheck();
            if (!waitUntil([&] { return compared && !diff->isFillingScript(); }, timeoutMs))
                say(u"the drift check did not compare: "_s + diff->summaryLabel()->text());
            diff->tree()->expandAll();
            for (int r = 0; r < diff->filter()->rowCount() && !diff->tree()->currentIndex().isValid(); ++r)
            {
                const QModelIndex schemaRow = diff->filter()->index(r, 0);
                const QModelIndex kindRow = diff->filter()->index(0, 0, schemaRow);
                if (kindRow.isValid() && diff->filter()->index(0, 0, kindRow).isValid())
                    diff->tree()->setCurrentIndex(diff->filter()->index(0, 0, kindRow));
            }
            grab(&window, u"diff-tree"_s);
            compared = false;
            diff->setOnline(true);
            waitUntil([&] { return !diff->isFillingScript() && diff->script().contains(u"online"_s, Qt::CaseInsensitive); }, 5000);
            grab(&window, u"diff-script"_s);
            diff->setOnline(false);
            // The same database as a production profile: the apply dialog asks for its name.
            ConnectionProfile prod = demo;
            prod.name = demo.name + u" (production copy)"_s;
            prod.environment = Environment::Production;
            if (auto saved = profiles.save(prod); saved)
            {
                diff->setTarget(prod, connection->sessionPassword());
                compared = false;
                diff->presetDriftCheck();
                if (!waitUntil([&] { return compared && !diff->isFillingScript(); }, timeoutMs))
                    say(u"the production copy did not compare: "_s + diff->summaryLabel()->text());
                diff->applyToTarget();
                if (PlanDialog *dialog = diff->openedPlanDialog())
                {
                    dialog->resize(900, 640);
                    dialog->confirmEdit()->setText(prod.database.left(prod.database.size() / 2));
                    grab(dialog, u"diff-apply-production"_s);
                    dialog->confirmEdit()->setText(prod.database);
                    bool verified = false;
                    QObject::connect(diff, &DiffView::verified, &window, [&] { verified = true; });
                    dialog->accept();
                    if (!waitUntil([&] { return verified; }, timeoutMs * 4))
                        say(u"the apply was not verified: "_s + diff->resultLabel()->text());
                    grab(&window, u"diff-no-drift"_s);
                }
                else
                    say(u"the apply dialog did not open"_s);
            }
        }
        window.close();
    }

    jobs.shutdown(5000);
    if (!sandboxWasRunning && LocalSandbox::isRunning())
        if (auto stopped = LocalSandbox::stop(); !stopped)
            say(u"could not stop the local sandbox: "_s + stopped.error().toString());
    return failed == 0 ? 0 : 1;
}
