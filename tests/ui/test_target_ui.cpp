// One target on screen (issue 12): the banner, the title, the status bar and every view of the
// console (built as app/gui.cpp builds it) name the same profile after every kind of connect
// attempt; passwords typed without a keychain are kept for the session; a cancelled prompt is
// "cancelled"; quitting with a running job asks first. Real PostgreSQL 15, offscreen.

#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "tests/support/services.h"
#include "ui/backups/backupsview.h"
#include "ui/files/migrationfilesview.h"
#include "ui/locks/locksview.h"
#include "ui/main/connectioncontroller.h"
#include "ui/main/connectionstatus.h"
#include "ui/main/consoleview.h"
#include "ui/main/environmentbanner.h"
#include "ui/main/mainwindow.h"
#include "ui/profiles/passwordcache.h"
#include "ui/profiles/profileactions.h"
#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profileitemdelegate.h"
#include "ui/profiles/profilesidebar.h"
#include "ui/profiles/profiletreemodel.h"
#include "ui/timeline/envmatrixmodel.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinesetup.h"
#include "ui/timeline/timelineview.h"

#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QHeaderView>
#include <QThread>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::fixture;
using dbops::test::FixtureWork;
using dbops::test::PgFixture;
using dbops::test::profileFor;

namespace
{
    /// The console as app/gui.cpp composes it.
    struct Console
    {
        Console(const MainWindow::Services &services, LockMonitor *monitor)
            : window(services)
        {
            views = installTimelineViews(window, services);
            window.addView(new LocksView(monitor, window.connection()), u"Locks"_s);
            window.addView(new BackupsView(services.store, services.profiles, services.jobs, window.connection()), u"Backups"_s);
        }
        MainWindow window;
        TimelineViews views;
    };

    /// Counts (and closes) every modal dialog that opens while it lives: a second prompt shows.
    class ModalWatch final : public QObject
    {
    public:
        explicit ModalWatch(QWidget *allowed = nullptr)
            : m_allowed(allowed)
        {
            connect(&m_timer, &QTimer::timeout, this, [this] {
                QWidget *modal = QApplication::activeModalWidget();
                if (modal && modal != m_allowed)
                {
                    ++count;
                    modal->close();
                }
            });
            m_timer.start(20);
        }
        int count = 0;

    private:
        QWidget *m_allowed;
        QTimer m_timer;
    };

    int failedJobs(const JobManager &jobs, const QString &titleContains)
    {
        int n = 0;
        for (const JobRecord &r : jobs.records())
            n += r.state == JobState::Failed && r.title.contains(titleContains);
        return n;
    }
}

class TestTargetUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void everyViewNamesTheOneTarget();
    void sidebarButtonSaysDisconnectOnTheTarget();
    void cancelledPromptIsCancelledAndNoFailedJob();
    void typedPasswordIsKeptForTheSession();
    void passwordCacheForgetsAfterMinutesSetting();
    void wrongPasswordInProfileDialogIsOneInlineError();
    void testConnectionCancelledPromptShowsNoSecondDialog();
    void matrixColumnOffersEnterPassword();
    void quitWithRunningJobAsksFirst();
    void ctrlQQuits();
    void sidebarKeepsPortAndDatabaseWhenNarrow();

private:
    MainWindow::Services services() { return {m_c.store.get(), m_c.profiles.get(), m_c.jobs.get()}; }
    /// Asserts that the banner, the title, the status bar and every console view name `name`
    /// (empty: nothing connected anywhere).
    void verifyOneTarget(Console &c, const QString &name);
    void saveProfiles();
    void connectAndWait(Console &c, const QString &name);
    QTemporaryDir m_migrations;
    dbops::test::TestServices m_c;
    std::unique_ptr<LockMonitor> m_monitor;

    ConnectParams m_db;
    QString m_role;
    const QString m_secret = u"s3cret-for-prod"_s;
};

void TestTargetUi::initTestCase()
{
    DBOPS_REQUIRE_PG();
    QVERIFY(m_c.start());
    QVERIFY(m_migrations.isValid());
    qputenv("DBOPS_KEYCHAIN", "off");
    dbops::test::copyDemoMigrations(m_migrations.path());
    m_db = fixture([] { return PgFixture::newDatabase(u"target"_s); });
    {
        FixtureWork setup;
        auto admin = PgFixture::connect(m_db);
        // A non-superuser that must give a password (scram): the production profile.
        m_role = dbops::test::newRole(*admin, u"tgt_prod"_s, m_secret);
        admin->exec(u"GRANT ALL ON DATABASE "_s + admin->escapeIdentifier(m_db.value(u"dbname"_s)) + u" TO "_s
                    + admin->escapeIdentifier(m_role));
        admin->exec(u"GRANT ALL ON SCHEMA public TO "_s + admin->escapeIdentifier(m_role));
    }
    dbops::test::watchGuiThread();
}

void TestTargetUi::cleanupTestCase()
{
    dbops::test::verifyGuiThreadClean();
}

void TestTargetUi::init()
{
    QVERIFY(m_c.open());
    m_monitor = std::make_unique<LockMonitor>(*m_c.jobs, m_c.profiles.get(), m_c.store.get());
    saveProfiles();
}

void TestTargetUi::cleanup()
{
    m_monitor.reset();
    m_c.close();
}

void TestTargetUi::saveProfiles()
{
    ConnectionProfile staging = profileFor(u"shop-staging"_s, Environment::Staging, m_db, m_migrations.path());
    staging.project = u"shop"_s;
    ConnectionProfile prod = profileFor(u"shop-prod"_s, Environment::Production, m_db, m_migrations.path());
    prod.user = m_role;
    prod.project = u"shop"_s;
    ConnectionProfile down = profileFor(u"prod-down"_s, Environment::Production, m_db, m_migrations.path());
    down.host = PgFixture::sandbox().socketDir();
    down.port = 1; // nothing listens there
    for (const ConnectionProfile &p : {staging, prod, down})
        QVERIFY(fixture([&] { return m_c.profiles->save(p); }).has_value());
}

void TestTargetUi::connectAndWait(Console &c, const QString &name)
{
    QTRY_VERIFY_WITH_TIMEOUT(c.window.sidebar()->model()->profile(name), 60000);
    c.window.connectProfile(name);
    QTRY_VERIFY_WITH_TIMEOUT(c.window.connection()->state() != ConnectionController::State::Connecting, 60000);
}

void TestTargetUi::verifyOneTarget(Console &c, const QString &name)
{
    const QList<ConsoleView *> views = c.window.consoleViews();
    QCOMPARE(views.size(), 5); // files, timeline, environments, locks, backups
    for (ConsoleView *view : views)
        QVERIFY2(view->targetProfileName() == name,
                 qPrintable(u"%1 acts on '%2', the console on '%3'"_s.arg(
                     QString::fromLatin1(dynamic_cast<QWidget *>(view)->metaObject()->className()), view->targetProfileName(), name)));
    QCOMPARE(c.window.connection()->target().profile.name, name);
    QCOMPARE(c.window.filesView()->folder(), name.isEmpty() ? QString() : m_migrations.path());
    const QString status = c.window.connectionStatus()->stateText();
    if (name.isEmpty())
    {
        QCOMPARE(c.window.windowTitle(), u"dbops"_s);
        QCOMPARE(c.window.banner()->environmentText(), QString());
        QVERIFY(!c.window.banner()->isProduction());
        QVERIFY2(status.startsWith(u"Not connected"_s), qPrintable(status));
        return;
    }
    QVERIFY2(c.window.windowTitle().contains(name), qPrintable(c.window.windowTitle()));
    QVERIFY2(c.window.banner()->detailText().contains(u"<b>%1</b>"_s.arg(name)), qPrintable(c.window.banner()->detailText()));
    QVERIFY2(status.startsWith(u"Connected to %1"_s.arg(name)), qPrintable(status));
    QCOMPARE(c.window.sidebar()->connectedProfile(), name);
}

void TestTargetUi::everyViewNamesTheOneTarget()
{
    Console c(services(), m_monitor.get());
    verifyOneTarget(c, {});

    connectAndWait(c, u"shop-staging"_s);
    QCOMPARE(c.window.connection()->state(), ConnectionController::State::Connected);
    verifyOneTarget(c, u"shop-staging"_s);
    QCOMPARE(c.window.banner()->environmentText(), u"STAGING"_s);
    TimelineView *timeline = c.views.timeline;
    QPushButton *apply = timeline->findChild<QPushButton *>(u"applyPending"_s);
    QVERIFY(apply);
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 60000);

    // Selecting another profile changes nothing any view acts on (the files tab included).
    c.window.sidebar()->selectProfile(u"prod-down"_s);
    QCOMPARE(c.window.sidebar()->currentProfileName(), u"prod-down"_s);
    verifyOneTarget(c, u"shop-staging"_s);

    // A failed connect to production while on staging: everything stays on staging, in
    // staging's colours, and the banner says the production attempt failed.
    c.window.connectProfile(u"prod-down"_s);
    QTRY_VERIFY_WITH_TIMEOUT(c.window.connection()->state() != ConnectionController::State::Connecting, 60000);
    QVERIFY(c.window.connection()->attemptFailedKeepingTarget());
    QVERIFY(!c.window.connection()->lastError().isCancelled());
    verifyOneTarget(c, u"shop-staging"_s);
    QCOMPARE(c.window.banner()->environmentText(), u"STAGING"_s);
    QVERIFY(!c.window.banner()->isProduction());
    QVERIFY(!c.window.banner()->styleSheet().contains(environmentColor(Environment::Production)));
    const QString bannerStatus = c.window.banner()->statusText();
    QVERIFY2(bannerStatus.contains(u"connect to prod-down failed"_s) && bannerStatus.contains(u"stays on shop-staging"_s),
             qPrintable(bannerStatus));
    QVERIFY2(c.window.connectionStatus()->stateText().contains(u"connect to prod-down failed"_s),
             qPrintable(c.window.connectionStatus()->stateText()));
    // Apply pending is still enabled, and plans for staging.
    QVERIFY(apply->isEnabled());
    QCOMPARE(timeline->actions()->target().profile.name, u"shop-staging"_s);
    QSignalSpy planned(timeline->actions(), &TimelineActions::planShown);
    apply->click();
    QTRY_VERIFY_WITH_TIMEOUT(!planned.isEmpty(), 60000);
    auto *dialog = planned.first().first().value<PlanDialog *>();
    QVERIFY(dialog);
    QCOMPARE(timeline->actions()->target().profile.name, u"shop-staging"_s);
    QVERIFY(dialog->requiredConfirmation().isEmpty()); // staging: no production confirmation
    dialog->reject();

    // A cancelled connect (the password prompt for production cancelled): the same.
    c.window.connection()->setPasswordPrompt([](const ConnectionProfile &, const Error &) { return std::nullopt; });
    connectAndWait(c, u"shop-prod"_s);
    QVERIFY(c.window.connection()->attemptFailedKeepingTarget());
    QVERIFY(c.window.connection()->lastError().isCancelled());
    verifyOneTarget(c, u"shop-staging"_s);
    QVERIFY(!c.window.banner()->isProduction());
    QVERIFY2(c.window.banner()->statusText().contains(u"connect to shop-prod cancelled"_s), qPrintable(c.window.banner()->statusText()));

    // A cancelled attempt (Cancel while it runs) as well.
    c.window.connectProfile(u"prod-down"_s);
    c.window.connection()->cancelAttempt();
    verifyOneTarget(c, u"shop-staging"_s);
    QVERIFY(!c.window.banner()->isProduction());

    // Disconnect: nothing, everywhere.
    c.window.connection()->disconnectProfile();
    verifyOneTarget(c, {});
}

void TestTargetUi::sidebarButtonSaysDisconnectOnTheTarget()
{
    Console c(services(), m_monitor.get());
    QPushButton *button = c.window.sidebar()->connectButton();
    QTRY_VERIFY_WITH_TIMEOUT(c.window.sidebar()->model()->profile(u"shop-staging"_s), 60000);
    c.window.sidebar()->selectProfile(u"shop-staging"_s);
    QCOMPARE(button->text(), u"Connect"_s);
    button->click();
    QTRY_COMPARE_WITH_TIMEOUT(c.window.connection()->state(), ConnectionController::State::Connected, 60000);
    QCOMPARE(button->text(), u"Disconnect"_s);
    // The menu says it too: Connect is for another profile, Disconnect names the target.
    auto *connectAction = c.window.findChild<QAction *>(u"connectAction"_s);
    auto *disconnectAction = c.window.findChild<QAction *>(u"disconnectAction"_s);
    QVERIFY(connectAction && disconnectAction);
    QVERIFY(!connectAction->isEnabled());
    QVERIFY(disconnectAction->isEnabled());
    QVERIFY(disconnectAction->text().contains(u"shop-staging"_s));
    // Another profile selected: the button connects that one.
    c.window.sidebar()->selectProfile(u"prod-down"_s);
    QCOMPARE(button->text(), u"Connect"_s);
    QVERIFY(connectAction->isEnabled());
    c.window.sidebar()->selectProfile(u"shop-staging"_s);
    QCOMPARE(button->text(), u"Disconnect"_s);
    button->click();
    QCOMPARE(c.window.connection()->state(), ConnectionController::State::Disconnected);
    verifyOneTarget(c, {});
    QCOMPARE(button->text(), u"Connect"_s);
    QVERIFY(!disconnectAction->isEnabled());
}

void TestTargetUi::cancelledPromptIsCancelledAndNoFailedJob()
{
    Console c(services(), m_monitor.get());
    int prompts = 0;
    c.window.connection()->setPasswordPrompt([&](const ConnectionProfile &, const Error &) -> std::optional<QString> {
        ++prompts;
        return std::nullopt;
    });
    connectAndWait(c, u"shop-prod"_s);
    QCOMPARE(prompts, 1);
    // Not connected, and said as cancelled (state, banner, status bar), never as failed.
    QCOMPARE(c.window.connection()->state(), ConnectionController::State::Disconnected);
    QVERIFY(c.window.connection()->lastError().isCancelled());
    QVERIFY2(c.window.connectionStatus()->stateText().contains(u"cancelled"_s), qPrintable(c.window.connectionStatus()->stateText()));
    QVERIFY2(c.window.banner()->statusText().contains(u"cancelled"_s), qPrintable(c.window.banner()->statusText()));
    QVERIFY(!c.window.banner()->statusText().contains(u"failed"_s));
    verifyOneTarget(c, {});
    // The password-less attempt the server refused is no failed job.
    QTRY_VERIFY_WITH_TIMEOUT(m_c.jobs->activeCount() == 0, 60000);
    QCOMPARE(failedJobs(*m_c.jobs, u"shop-prod"_s), 0);
}

void TestTargetUi::typedPasswordIsKeptForTheSession()
{
    Console c(services(), m_monitor.get());
    int prompts = 0;
    QString answer = m_secret;
    c.window.connection()->setPasswordPrompt([&](const ConnectionProfile &, const Error &) -> std::optional<QString> {
        ++prompts;
        return answer.isEmpty() ? std::nullopt : std::optional<QString>(answer);
    });
    connectAndWait(c, u"shop-prod"_s);
    QCOMPARE(c.window.connection()->state(), ConnectionController::State::Connected);
    QCOMPARE(prompts, 1);
    QCOMPARE(c.window.connection()->server().currentUser, m_role);
    QVERIFY(c.window.passwordCache()->contains(u"shop-prod"_s));

    // Away and back: no second prompt (no keychain in this test).
    connectAndWait(c, u"shop-staging"_s);
    verifyOneTarget(c, u"shop-staging"_s);
    connectAndWait(c, u"shop-prod"_s);
    verifyOneTarget(c, u"shop-prod"_s);
    QCOMPARE(prompts, 1);
    // Test connection uses it too.
    c.window.profileActions()->setPasswordPrompt([&](const ConnectionProfile &, const Error &) -> std::optional<QString> {
        ++prompts;
        return std::nullopt;
    });
    QSignalSpy tested(c.window.profileActions(), &ProfileActions::testFinished);
    QTimer closer; // the success box
    QObject::connect(&closer, &QTimer::timeout, [] {
        if (QWidget *m = QApplication::activeModalWidget())
            m->close();
    });
    closer.start(20);
    c.window.profileActions()->testProfile(u"shop-prod"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!tested.isEmpty(), 60000);
    QVERIFY2(tested.first().at(1).toBool(), qPrintable(tested.first().at(2).toString()));
    QCOMPARE(prompts, 1);

    // An explicit disconnect forgets it: the next connect asks again.
    c.window.connection()->disconnectProfile();
    QVERIFY(!c.window.passwordCache()->contains(u"shop-prod"_s));
    answer.clear();
    connectAndWait(c, u"shop-prod"_s);
    QCOMPARE(prompts, 2);
    verifyOneTarget(c, {});

    // Never written anywhere of ours: not the store, not gui.ini.
    const QString stored = fixture([&] { return m_c.profiles->get(u"shop-prod"_s); })->toJson().value(u"target"_s).toString();
    QVERIFY(!stored.contains(m_secret));
    c.window.setQuitConfirm([](const QStringList &) { return true; });
    c.window.close();
    QVERIFY(QFile::exists(m_c.home.filePath(u"gui.ini"_s)));
    for (QDirIterator it(m_c.home.path(), QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
    {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(m_secret.toUtf8()), qPrintable(file.fileName()));
    }
    QCOMPARE(c.window.passwordCache()->size(), 0); // quit clears it
}

void TestTargetUi::passwordCacheForgetsAfterMinutesSetting()
{
    {
        Console c(services(), m_monitor.get());
        c.window.setForgetPasswordsAfter(15);
        QCOMPARE(c.window.passwordCache()->forgetAfterMinutes(), 15);
    }
    // Kept in gui.ini: the next window starts with it.
    Console again(services(), m_monitor.get());
    QCOMPARE(again.window.passwordCache()->forgetAfterMinutes(), 15);
    again.window.setForgetPasswordsAfter(0);

    PasswordCache cache;
    cache.store(u"p"_s, u"x"_s);
    QCOMPARE(cache.password(u"p"_s), std::optional<QString>(u"x"_s));
    cache.forget(u"p"_s);
    QVERIFY(!cache.contains(u"p"_s));
}

void TestTargetUi::wrongPasswordInProfileDialogIsOneInlineError()
{
    ConnectionProfile prod = fixture([&] { return m_c.profiles->get(u"shop-prod"_s); }).value();
    ProfileDialog dialog(prod, m_c.profiles.get(), m_c.jobs.get());
    dialog.show();
    ModalWatch modals(&dialog);
    dialog.findChild<QLineEdit *>(u"password"_s)->setText(u"wrong"_s);
    dialog.testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.testResultText().contains(u"Authentication failed"_s), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(m_c.jobs->activeCount() == 0, 60000);
    QCOMPARE(modals.count, 0); // the inline error only, no modal prompt on top
    QVERIFY(dialog.testResultText().contains(u"Password field"_s));
}

void TestTargetUi::testConnectionCancelledPromptShowsNoSecondDialog()
{
    Console c(services(), m_monitor.get());
    int prompts = 0;
    c.window.profileActions()->setPasswordPrompt([&](const ConnectionProfile &, const Error &) -> std::optional<QString> {
        ++prompts;
        return prompts == 1 ? std::optional<QString>(u"wrong"_s) : std::nullopt;
    });
    ModalWatch modals;
    QSignalSpy tested(c.window.profileActions(), &ProfileActions::testFinished);
    c.window.profileActions()->testProfile(u"shop-prod"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!tested.isEmpty(), 60000);
    // No password: one prompt; the wrong one: one more; cancelled: nothing else.
    QCOMPARE(prompts, 2);
    QVERIFY(!tested.first().at(1).toBool());
    QVERIFY(tested.first().at(2).toString().contains(u"cancelled"_s));
    QCOMPARE(modals.count, 0);
    QCOMPARE(failedJobs(*m_c.jobs, u"Test connection: shop-prod"_s), 1); // the wrong password only
}

void TestTargetUi::matrixColumnOffersEnterPassword()
{
    Console c(services(), m_monitor.get());
    EnvMatrixView *matrix = c.views.matrix;
    int prompts = 0;
    matrix->setPasswordPrompt([&](const ConnectionProfile &p, const Error &) -> std::optional<QString> {
        ++prompts;
        return p.name == u"shop-prod"_s ? std::optional<QString>(m_secret) : std::nullopt;
    });
    QTRY_VERIFY_WITH_TIMEOUT(matrix->project() == u"shop"_s, 60000);
    QSignalSpy all(matrix, &EnvMatrixView::allLoaded);
    matrix->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!all.isEmpty() && matrix->loadingColumns() == 0, 60000);
    EnvMatrixModel *model = matrix->model();
    const int prod = model->profileIndex(u"shop-prod"_s);
    QVERIFY(prod >= 0);
    QVERIFY(model->passwordNeeded(prod));
    const int section = EnvMatrixModel::FirstEnvironment + prod;
    QVERIFY(model->headerData(section, Qt::Horizontal).toString().contains(u"Enter password…"_s));
    QVERIFY(model->headerData(section, Qt::Horizontal, EnvMatrixModel::PasswordNeededRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(m_c.jobs->activeCount() == 0, 60000);
    QCOMPARE(failedJobs(*m_c.jobs, u"(matrix)"_s), 0); // a question, not a failure

    // The header's click: prompts, caches, reloads that column.
    all.clear();
    emit matrix->tableView()->horizontalHeader()->sectionClicked(section);
    QCOMPARE(prompts, 1);
    QTRY_VERIFY_WITH_TIMEOUT(model->status(prod) == EnvMatrixModel::ColumnStatus::Loaded, 60000);
    QVERIFY(!model->passwordNeeded(prod));
    QVERIFY(c.window.passwordCache()->contains(u"shop-prod"_s));
    // The next connect to it needs no prompt.
    int connectPrompts = 0;
    c.window.connection()->setPasswordPrompt([&](const ConnectionProfile &, const Error &) -> std::optional<QString> {
        ++connectPrompts;
        return std::nullopt;
    });
    connectAndWait(c, u"shop-prod"_s);
    QCOMPARE(connectPrompts, 0);
    verifyOneTarget(c, u"shop-prod"_s);
}

void TestTargetUi::quitWithRunningJobAsksFirst()
{
    Console c(services(), m_monitor.get());
    QStringList asked;
    bool quit = false;
    c.window.setQuitConfirm([&](const QStringList &running) {
        asked = running;
        return quit;
    });
    std::atomic<bool> started = false;
    Job *job = m_c.jobs->start(makeJob<int>(u"Long job"_s, [&](JobContext &ctx) {
        started = true;
        while (!ctx.isCancelled())
            QThread::msleep(10);
        ctx.throwIfCancelled();
        return 1;
    }));
    const quint64 id = job->id();
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 60000);
    c.window.show();
    // Keep running: the window stays, the job runs on.
    QVERIFY(!c.window.close());
    QVERIFY(asked.contains(u"Long job"_s));
    QVERIFY(c.window.isVisible());
    const auto stateOf = [&] {
        for (const JobRecord &r : m_c.jobs->records())
            if (r.id == id)
                return r.state;
        return JobState::Queued;
    };
    QCOMPARE(toString(stateOf()), toString(JobState::Running));
    // Cancel jobs and quit.
    quit = true;
    asked.clear();
    QVERIFY(c.window.close());
    QVERIFY(asked.contains(u"Long job"_s));
    QTRY_COMPARE_WITH_TIMEOUT(toString(stateOf()), toString(JobState::Cancelled), 60000);
}

void TestTargetUi::ctrlQQuits()
{
    Console c(services(), m_monitor.get());
    QAction *quit = c.window.quitAction();
    QVERIFY(quit);
    QVERIFY(quit->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Q)));
    int asked = 0;
    c.window.setQuitConfirm([&](const QStringList &) {
        ++asked;
        return false;
    });
    std::atomic<bool> started = false;
    m_c.jobs->start(makeJob<int>(u"Long job"_s, [&](JobContext &ctx) {
        started = true;
        while (!ctx.isCancelled())
            QThread::msleep(10);
        return 1;
    }));
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 60000);
    c.window.show();
    c.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&c.window));
    QTest::keyClick(&c.window, Qt::Key_Q, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(asked, 1, 10000); // Ctrl+Q closes, and the running job asks first
    QVERIFY(c.window.isVisible());
    m_c.jobs->cancelAll();
    QTRY_VERIFY_WITH_TIMEOUT(m_c.jobs->activeCount() == 0, 60000);
    QTest::keyClick(&c.window, Qt::Key_Q, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(!c.window.isVisible(), 10000); // nothing runs: it just quits
    QCOMPARE(asked, 1);
}

void TestTargetUi::sidebarKeepsPortAndDatabaseWhenNarrow()
{
    const QFontMetrics fm(QApplication::font());
    const QString target = u"ops_admin@orders-primary.db.eu-west-1.internal.example.com:6432/orders"_s;
    const int width = fm.horizontalAdvance(target) / 2;
    const QString shown = ProfileItemDelegate::elideTarget(target, fm, width);
    QVERIFY2(fm.horizontalAdvance(shown) <= width, qPrintable(shown));
    QVERIFY2(shown.endsWith(u":6432/orders"_s), qPrintable(shown));
    QVERIFY2(shown.startsWith(u"ops_admin@or"_s), qPrintable(shown));
    QVERIFY(shown.contains(u"…"_s));
    // What fits stays whole.
    QCOMPARE(ProfileItemDelegate::elideTarget(u"app@db:5432/app"_s, fm, 1000), u"app@db:5432/app"_s);
    // The full text is the item's tooltip.
    ProfileTreeModel model;
    ConnectionProfile p = profileFor(u"orders"_s, Environment::Production, m_db);
    model.setProfiles({p});
    QVERIFY(model.data(model.indexOfProfile(u"orders"_s), Qt::ToolTipRole).toString().contains(p.targetDescription().toHtmlEscaped()));
}

QTEST_MAIN(TestTargetUi)
#include "test_target_ui.moc"
