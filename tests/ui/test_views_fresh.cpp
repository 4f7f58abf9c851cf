// Views are never stale (issue 12): every view reloads after an action that changes what it shows,
// watches the files it shows, reloads when another dbops process (a real CLI child) changed the
// store, and F5 reads again in every tab. Offscreen (T2), against a real PostgreSQL 15 (T4).

#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "ui/files/folderwatcher.h"
#include "ui/files/migrationfilesmodel.h"
#include "ui/files/migrationfilesview.h"
#include "ui/locks/locksview.h"
#include "ui/locks/sessiontablemodel.h"
#include "ui/main/connectioncontroller.h"
#include "ui/main/mainwindow.h"
#include "ui/profiles/profilesidebar.h"
#include "ui/profiles/profiletreemodel.h"
#include "ui/timeline/envmatrixmodel.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/migrationdetail.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/timeline/timelinesetup.h"
#include "ui/timeline/timelineview.h"
#include "ui/widgets/codeview.h"

#include <QApplication>
#include <QFile>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    constexpr int kWait = 60000;

    /// An editor's save: the new text goes to a temporary file renamed over the old one.
    bool saveByRename(const QString &path, const QByteArray &text)
    {
        const QString tmp = path + u".tmp~"_s;
        QFile f(tmp);
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            return false;
        f.close();
        return std::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) == 0;
    }

    /// The state the matrix shows for `version` in the column of `profile` (-1 none, -2 no column).
    int matrixState(const EnvMatrixView &matrix, const QString &profile, const QString &version)
    {
        const EnvMatrixModel *m = matrix.model();
        const int p = m->profileIndex(profile);
        if (p < 0)
            return -2;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, EnvMatrixModel::Version).data().toString() == version)
                return m->index(r, EnvMatrixModel::FirstEnvironment + p).data(EnvMatrixModel::StateRole).toInt();
        return -1;
    }

    int timelineState(const TimelineView &view, const QString &version)
    {
        const TimelineModel *m = view.model();
        const int row = m->rowOf(version);
        return row < 0 ? -2 : m->index(row, 0).data(TimelineModel::StateRole).toInt();
    }
}

class TestViewsFresh final : public QObject
{
    Q_OBJECT

private:
    /// The CLI children's store (DBOPS_HOME is PgFixture::home() for them and for this process).
    QString storePath() const { return PgFixture::home() + u"/dbops.sqlite"_s; }
    MainWindow::Services services() { return {m_store.get(), m_profiles.get(), m_jobs.get()}; }

    void save(const ConnectionProfile &p)
    {
        auto saved = fixture([&] { return m_profiles->save(p); });
        QVERIFY2(saved.has_value(), qPrintable(saved ? QString() : saved.error().toString()));
    }

    /// Connects `name` in `window` (read from the store by the sidebar first).
    bool connectTo(MainWindow &window, const QString &name)
    {
        window.reloadProfiles();
        if (!QTest::qWaitFor([&] { return window.sidebar()->model()->profile(name) != nullptr; }, kWait))
            return false;
        window.connectProfile(name);
        return QTest::qWaitFor([&] { return window.connection()->isConnected() && window.connection()->profile().name == name; }, kWait);
    }

    static void migrations(const QString &dir)
    {
        writeFile(dir, u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
        writeFile(dir, u"0002_orders.sql"_s, "CREATE TABLE orders (id int);\n");
    }

    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY2(!PgFixture::cliPath().isEmpty(), "DBOPS_CLI is not set");
        usePrivateHome(PgFixture::home());
        qunsetenv("RUN_MIGRATIONS");
        qunsetenv("MIGRATIONS_DIR");
        // From here on, a libpq or SQLite call on this (the GUI) thread outside fixture() is counted.
        watchGuiThread();
    }

    void cleanupTestCase() { verifyGuiThreadClean(); }

    void init()
    {
        m_store = std::make_unique<Store>(storePath());
        auto opened = fixture([&] { return m_store->open(); });
        QVERIFY2(opened.has_value(), qPrintable(opened ? QString() : opened.error().toString()));
        m_profiles = std::make_unique<ProfileStore>(*m_store);
        m_jobs = std::make_unique<JobManager>();
    }

    void cleanup()
    {
        m_jobs->shutdown(5000);
        m_jobs.reset();
        m_profiles.reset();
        m_store.reset();
    }

    /// The SQL pane follows the file on disk: an edit in place, an editor's save by rename, a file
    /// added and one removed, without a refresh.
    void filesViewFollowsTheFolder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString first = writeFile(dir.path(), u"0001_init.sql"_s, "CREATE TABLE users (id int);\n");
        writeFile(dir.path(), u"0002_orders.sql"_s, "CREATE TABLE orders (id int);\n");

        MigrationFilesView view(m_jobs.get());
        QSignalSpy listed(&view, &MigrationFilesView::listingLoaded);
        view.setFolder(dir.path(), u"fresh"_s);
        QTRY_COMPARE_WITH_TIMEOUT(view.shownFile(), first, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(view.codeView()->toPlainText().contains(u"CREATE TABLE users"_s), kWait);

        // Written in place.
        writeFile(dir.path(), u"0001_init.sql"_s, "CREATE TABLE users (id bigint, email text);\n");
        QTRY_VERIFY_WITH_TIMEOUT(view.codeView()->toPlainText().contains(u"email text"_s), kWait);
        QCOMPARE(view.shownFile(), first);

        // Saved by rename (vim, VS Code, JetBrains): the watch follows the new file, twice.
        QVERIFY(saveByRename(first, "CREATE TABLE users (id bigint, login text);\n"));
        QTRY_VERIFY_WITH_TIMEOUT(view.codeView()->toPlainText().contains(u"login text"_s), kWait);
        QVERIFY(saveByRename(first, "CREATE TABLE users (id bigint, handle text);\n"));
        QTRY_VERIFY_WITH_TIMEOUT(view.codeView()->toPlainText().contains(u"handle text"_s), kWait);
        QCOMPARE(view.shownFile(), first);

        // A file added, then one removed, shows in the list.
        writeFile(dir.path(), u"0003_audit.sql"_s, "CREATE TABLE audit (id int);\n");
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 3, kWait);
        QCOMPARE(view.model()->files().at(2).name, u"0003_audit.sql"_s);
        QVERIFY(QFile::remove(dir.filePath(u"0002_orders.sql"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, kWait);
        QCOMPARE(view.model()->files().at(1).name, u"0003_audit.sql"_s);
        QCOMPARE(view.shownFile(), first); // the same file stays shown
    }

    /// The timeline's detail SQL and its rows follow the folder: an edit of the selected file, a
    /// file added (pending) and an applied file removed (missing) show without F5.
    void timelineFollowsTheFolder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
        writeFile(dir.path(), u"0002_orders.sql"_s, "CREATE TABLE orders (id int);\n");
        const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"freshtl"_s); });
        save(profileFor(u"freshtl-dev"_s, Environment::Development, db, dir.path()));
        // 0001 applied behind the console's back, so that its removal is a missing file.
        const CliResult migrated =
            runCli({u"migrate"_s, u"--profile"_s, u"freshtl-dev"_s, u"--migrations"_s, dir.path(), u"--target"_s, u"0001"_s});
        QVERIFY2(migrated.exitCode == 0, qPrintable(migrated.both()));

        MainWindow window(services());
        const TimelineViews v = installTimelineViews(window, services());
        QVERIFY(connectTo(window, u"freshtl-dev"_s));
        QTRY_COMPARE_WITH_TIMEOUT(timelineState(*v.timeline, u"0002"_s), int(MigrationState::Pending), kWait);
        QCOMPARE(timelineState(*v.timeline, u"0001"_s), int(MigrationState::Applied));

        v.timeline->selectVersion(u"0002"_s);
        QTRY_COMPARE_WITH_TIMEOUT(v.timeline->detail()->shownVersion(), u"0002"_s, kWait);
        QVERIFY(v.timeline->detail()->sqlView()->toPlainText().contains(u"CREATE TABLE orders (id int)"_s));

        // The shown file saved by rename: the SQL pane shows the new text, on the same row.
        QVERIFY(saveByRename(dir.filePath(u"0002_orders.sql"_s), "CREATE TABLE orders (id bigint, total numeric);\n"));
        QTRY_VERIFY_WITH_TIMEOUT(v.timeline->detail()->sqlView()->toPlainText().contains(u"total numeric"_s), kWait);
        QCOMPARE(v.timeline->selectedVersion(), u"0002"_s);

        // A new file is a pending row; the applied file removed is a missing file.
        writeFile(dir.path(), u"0003_audit.sql"_s, "CREATE TABLE audit (id int);\n");
        QTRY_COMPARE_WITH_TIMEOUT(timelineState(*v.timeline, u"0003"_s), int(MigrationState::Pending), kWait);
        QVERIFY(QFile::remove(dir.filePath(u"0001_users.sql"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(timelineState(*v.timeline, u"0001"_s), int(MigrationState::MissingFile), kWait);
    }

    /// The matrix reloads the column of the environment the console just migrated, and a profile
    /// of its project added or removed by the CLI comes and goes as a column.
    void matrixFollowsConsoleActionsAndTheStore()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        migrations(dir.path());
        const ConnectParams devDb = fixture([] { return PgFixture::newDatabase(u"freshmxd"_s); });
        const ConnectParams stageDb = fixture([] { return PgFixture::newDatabase(u"freshmxs"_s); });
        ConnectionProfile dev = profileFor(u"mx-dev"_s, Environment::Development, devDb, dir.path());
        dev.project = u"freshmx"_s;
        ConnectionProfile staging = profileFor(u"mx-staging"_s, Environment::Staging, stageDb, dir.path());
        staging.project = u"freshmx"_s;
        save(dev);
        save(staging);

        MainWindow window(services());
        const TimelineViews v = installTimelineViews(window, services());
        QVERIFY(connectTo(window, u"mx-dev"_s));
        QTRY_COMPARE_WITH_TIMEOUT(v.matrix->project(), u"freshmx"_s, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(matrixState(*v.matrix, u"mx-dev"_s, u"0002"_s), int(MigrationState::Pending), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(matrixState(*v.matrix, u"mx-staging"_s, u"0002"_s), int(MigrationState::Pending), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(v.timeline->findChild<QPushButton *>(u"applyPending"_s)->isEnabled(), kWait);

        // The console's own migrate: the timeline and the dev column show it; staging stays pending.
        QPointer<PlanDialog> plan;
        QObject::connect(v.timeline->actions(), &TimelineActions::planShown, this, [&plan](PlanDialog *d) { plan = d; });
        QSignalSpy changed(v.timeline->actions(), &TimelineActions::historyChanged);
        v.timeline->actions()->applyPending();
        QTRY_VERIFY_WITH_TIMEOUT(plan, kWait);
        QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(timelineState(*v.timeline, u"0002"_s), int(MigrationState::Applied), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(matrixState(*v.matrix, u"mx-dev"_s, u"0002"_s), int(MigrationState::Applied), kWait);
        QCOMPARE(matrixState(*v.matrix, u"mx-dev"_s, u"0001"_s), int(MigrationState::Applied));
        QCOMPARE(matrixState(*v.matrix, u"mx-staging"_s, u"0002"_s), int(MigrationState::Pending));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().at(0).toString(), u"mx-dev"_s);

        // A profile of the project added by the CLI: a column, loaded; removed by the CLI: gone.
        const ConnectParams prodDb = fixture([] { return PgFixture::newDatabase(u"freshmxp"_s); });
        CliResult r = runCli({u"profiles"_s, u"add"_s, u"mx-prod"_s, u"--env"_s, u"production"_s, u"--url"_s, url(prodDb), u"--project"_s,
                              u"freshmx"_s, u"--migrations"_s, dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QTRY_COMPARE_WITH_TIMEOUT(matrixState(*v.matrix, u"mx-prod"_s, u"0001"_s), int(MigrationState::Pending), kWait);
        QCOMPARE(matrixState(*v.matrix, u"mx-dev"_s, u"0002"_s), int(MigrationState::Applied));
        r = runCli({u"profiles"_s, u"remove"_s, u"mx-prod"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QTRY_COMPARE_WITH_TIMEOUT(v.matrix->model()->profileIndex(u"mx-prod"_s), -1, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(matrixState(*v.matrix, u"mx-dev"_s, u"0002"_s), int(MigrationState::Applied), kWait);
    }

    /// F5 on the window reads again in every tab: a change made behind the view's back shows.
    void f5ReadsAgainInEveryView()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        migrations(dir.path());
        const ConnectParams devDb = fixture([] { return PgFixture::newDatabase(u"freshf5d"_s); });
        const ConnectParams stageDb = fixture([] { return PgFixture::newDatabase(u"freshf5s"_s); });
        ConnectionProfile dev = profileFor(u"f5-dev"_s, Environment::Development, devDb, dir.path());
        dev.project = u"freshf5"_s;
        ConnectionProfile staging = profileFor(u"f5-staging"_s, Environment::Staging, stageDb, dir.path());
        staging.project = u"freshf5"_s;
        save(dev);
        save(staging);

        LockMonitor monitor(*m_jobs, m_profiles.get(), m_store.get());
        {
            MainWindow window(services());
            const TimelineViews v = installTimelineViews(window, services());
            auto *locks = new LocksView(&monitor, window.connection());
            window.addView(locks, u"Locks"_s);
            locks->setRefreshSeconds(0); // paused: only F5 reads
            window.show();
            QApplication::setActiveWindow(&window);
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(connectTo(window, u"f5-dev"_s));
            MigrationFilesView *files = window.filesView();
            QTRY_COMPARE_WITH_TIMEOUT(files->model()->rowCount(), 2, kWait);
            QTRY_COMPARE_WITH_TIMEOUT(timelineState(*v.timeline, u"0002"_s), int(MigrationState::Pending), kWait);
            QTRY_COMPARE_WITH_TIMEOUT(matrixState(*v.matrix, u"f5-staging"_s, u"0002"_s), int(MigrationState::Pending), kWait);
            const auto pressF5 = [&](QWidget *tab) {
                window.views()->setCurrentWidget(tab);
                tab->setFocus();
                QTest::keyClick(&window, Qt::Key_F5);
            };

            // Files: the watcher is silenced, so only F5 can show the new file.
            files->watcher()->blockSignals(true);
            v.timelineFiles->blockSignals(true);
            writeFile(dir.path(), u"0003_audit.sql"_s, "CREATE TABLE audit (id int);\n");
            QCOMPARE(files->model()->rowCount(), 2);
            pressF5(files);
            QTRY_COMPARE_WITH_TIMEOUT(files->model()->rowCount(), 3, kWait);

            // Timeline: the CLI migrates the connected database behind its back.
            CliResult r = runCli({u"migrate"_s, u"--profile"_s, u"f5-dev"_s, u"--migrations"_s, dir.path(), u"--target"_s, u"0002"_s});
            QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
            QCOMPARE(timelineState(*v.timeline, u"0002"_s), int(MigrationState::Pending)); // not read yet
            pressF5(v.timeline);
            QTRY_COMPARE_WITH_TIMEOUT(timelineState(*v.timeline, u"0002"_s), int(MigrationState::Applied), kWait);
            QCOMPARE(timelineState(*v.timeline, u"0003"_s), int(MigrationState::Pending)); // the files were read again too

            // Matrix: the CLI migrates staging; only a read shows it.
            r = runCli({u"migrate"_s, u"--profile"_s, u"f5-staging"_s, u"--migrations"_s, dir.path(), u"--target"_s, u"0001"_s});
            QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
            QCOMPARE(matrixState(*v.matrix, u"f5-staging"_s, u"0001"_s), int(MigrationState::Pending)); // not read yet
            pressF5(v.matrix);
            QTRY_COMPARE_WITH_TIMEOUT(matrixState(*v.matrix, u"f5-staging"_s, u"0001"_s), int(MigrationState::Applied), kWait);

            // Locks (paused): a session opened behind its back shows after F5.
            pressF5(locks);
            QTRY_VERIFY_WITH_TIMEOUT(locks->sessionModel()->rowCount() > 0, kWait);
            std::unique_ptr<PgConnection> session = fixture([&] { return PgFixture::connect(devDb); });
            const int pid = fixture([&] { return session->exec(u"SELECT pg_backend_pid()"_s).value(0, 0).toInt(); });
            QVERIFY(pid > 0);
            QCOMPARE(locks->sessionModel()->rowOfPid(pid), -1);
            pressF5(locks);
            QTRY_VERIFY_WITH_TIMEOUT(locks->sessionModel()->rowOfPid(pid) >= 0, kWait);
            fixture([&] { session.reset(); });
        }
    }

    /// A profile added and removed by the CLI (a child process) comes and goes in the sidebar
    /// without a restart; the selection stays on the profile it was on.
    void cliProfileChangesShowInTheSidebar()
    {
        const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"freshcli"_s); });
        save(profileFor(u"cli-kept"_s, Environment::Development, db));
        MainWindow window(services());
        ProfileSidebar *sidebar = window.sidebar();
        QTRY_VERIFY_WITH_TIMEOUT(sidebar->model()->profile(u"cli-kept"_s), kWait);
        sidebar->selectProfile(u"cli-kept"_s);
        QCOMPARE(sidebar->currentProfileName(), u"cli-kept"_s);

        CliResult r = runCli({u"profiles"_s, u"add"_s, u"cli-added"_s, u"--env"_s, u"staging"_s, u"--url"_s, url(db)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QTRY_VERIFY_WITH_TIMEOUT(sidebar->model()->profile(u"cli-added"_s), kWait);
        const QModelIndex added = sidebar->model()->indexOfProfile(u"cli-added"_s);
        QCOMPARE(toString(Environment(sidebar->model()->parent(added).data(ProfileTreeModel::EnvironmentRole).toInt())), u"staging"_s);
        QCOMPARE(sidebar->currentProfileName(), u"cli-kept"_s);

        r = runCli({u"profiles"_s, u"remove"_s, u"cli-added"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QTRY_VERIFY_WITH_TIMEOUT(!sidebar->model()->profile(u"cli-added"_s), kWait);
        QCOMPARE(sidebar->currentProfileName(), u"cli-kept"_s);

        // Twice more: the watch survives the store's own file changes (its WAL coming and going).
        for (const QString &name : {u"cli-again-1"_s, u"cli-again-2"_s})
        {
            r = runCli({u"profiles"_s, u"add"_s, name, u"--url"_s, url(db)});
            QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
            QTRY_VERIFY_WITH_TIMEOUT(sidebar->model()->profile(name), kWait);
            QCOMPARE(sidebar->currentProfileName(), u"cli-kept"_s);
        }
    }
};

QTEST_MAIN(TestViewsFresh)
#include "test_views_fresh.moc"
