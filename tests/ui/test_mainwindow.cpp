// The main window and its panels against a real PostgreSQL 15 (STYLE T4), offscreen (T2).

#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/logging/logbuffer.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "tests/support/services.h"
#include "ui/files/migrationfilesmodel.h"
#include "ui/files/migrationfilesview.h"
#include "ui/jobs/jobdelegate.h"
#include "ui/jobs/jobmodel.h"
#include "ui/jobs/jobspanel.h"
#include "ui/log/logfilter.h"
#include "ui/log/logfiltermodel.h"
#include "ui/log/logmodel.h"
#include "ui/log/logpanel.h"
#include "ui/main/connectioncontroller.h"
#include "ui/main/connectionstatus.h"
#include "ui/main/environmentbanner.h"
#include "ui/main/mainwindow.h"
#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profilesidebar.h"
#include "ui/profiles/profiletreemodel.h"
#include "ui/widgets/codeview.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeView>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::fixture;
using dbops::test::FixtureWork;
using dbops::test::PgFixture;
using dbops::test::profileFor;

namespace
{
    QStringList names(const QList<Environment> &envs)
    {
        QStringList out;
        for (Environment e : envs)
            out << toString(e);
        return out;
    }

    QString envAt(const QModelIndex &index)
    {
        return toString(Environment(index.data(ProfileTreeModel::EnvironmentRole).toInt()));
    }

    ConnectionProfile plainProfile(const QString &name, Environment env)
    {
        ConnectionProfile p;
        p.name = name;
        p.environment = env;
        p.host = u"db.example.com"_s;
        p.database = u"app"_s;
        return p;
    }
}

class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void sidebarGroupsProfilesByEnvironment();
    void profileAddedToStoreShowsInSidebar();
    void connectRunsAsJobAndShowsVersionAndEnvironment();
    void productionBannerSaysProduction();
    void refusedPasswordPromptsAndRetries();
    void unreachableServerShowsFailure();
    void multiHostBannerSaysWhichHostAnswered();
    void logFilterMatches_data();
    void logFilterMatches();
    void logModelFiltersByLevelAndText();
    void jobsPanelCancelButtonCancelsRunningQuery();
    void profileDialogFillsFromUri();
    void profileDialogShowsMalformedUriError();
    void profileDialogTestConnectionShowsServerFacts();
    void migrationFilesViewListsAndShowsSql();

private:
    MainWindow::Services services() { return {m_c.store.get(), m_c.profiles.get(), m_c.jobs.get()}; }
    dbops::test::TestServices m_c;
};

void TestMainWindow::initTestCase()
{
    DBOPS_REQUIRE_PG();
    QVERIFY(m_c.start());
    // From here on, a libpq or SQLite call on this (the GUI) thread outside fixture() is counted.
    dbops::test::watchGuiThread();
}

void TestMainWindow::cleanupTestCase()
{
    dbops::test::verifyGuiThreadClean();
}

void TestMainWindow::init()
{
    QVERIFY(m_c.open());
}

void TestMainWindow::cleanup()
{
    m_c.close();
}

void TestMainWindow::sidebarGroupsProfilesByEnvironment()
{
    ProfileTreeModel model;
    model.setProfiles({plainProfile(u"zeta-dev"_s, Environment::Development), plainProfile(u"billing-prod"_s, Environment::Production),
                       plainProfile(u"alpha-dev"_s, Environment::Development), plainProfile(u"qa"_s, Environment::Staging),
                       plainProfile(u"scratch"_s, Environment::Other)});

    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(names(model.groups()), (QStringList{u"development"_s, u"staging"_s, u"production"_s, u"other"_s}));
    const QModelIndex dev = model.index(0, 0);
    QVERIFY(model.data(dev, ProfileTreeModel::IsGroupRole).toBool());
    QVERIFY(model.data(dev).toString().startsWith(u"DEVELOPMENT"_s));
    QCOMPARE(model.rowCount(dev), 2);
    QCOMPARE(model.data(model.index(0, 0, dev)).toString(), u"alpha-dev"_s);
    QCOMPARE(model.data(model.index(1, 0, dev)).toString(), u"zeta-dev"_s);

    const QModelIndex prod = model.indexOfProfile(u"billing-prod"_s);
    QVERIFY(prod.isValid());
    QCOMPARE(model.parent(prod).row(), 2);
    QCOMPARE(envAt(prod), u"production"_s);
    QCOMPARE(model.profile(prod)->name, u"billing-prod"_s);
    QVERIFY(!model.flags(model.parent(prod)).testFlag(Qt::ItemIsSelectable));

    // An empty environment has no group.
    model.setProfiles({plainProfile(u"only-prod"_s, Environment::Production)});
    QCOMPARE(names(model.groups()), QStringList{u"production"_s});
}

void TestMainWindow::profileAddedToStoreShowsInSidebar()
{
    MainWindow window(services());
    QCOMPARE(window.sidebar()->model()->rowCount(), 0);

    auto saved = fixture([&] { return m_c.profiles->save(plainProfile(u"orders-staging"_s, Environment::Staging)); });
    QVERIFY(saved.has_value());
    window.reloadProfiles(u"orders-staging"_s);

    ProfileTreeModel *model = window.sidebar()->model();
    // The list is read in a job: it shows once the job has ended.
    QTRY_COMPARE_WITH_TIMEOUT(window.sidebar()->currentProfileName(), u"orders-staging"_s, 60000);
    const QModelIndex index = model->indexOfProfile(u"orders-staging"_s);
    QVERIFY(index.isValid());
    QCOMPARE(envAt(model->parent(index)), u"staging"_s);
    QCOMPARE(window.sidebar()->currentProfileName(), u"orders-staging"_s);
    QVERIFY(window.sidebar()->view()->isExpanded(model->parent(index)));
}

void TestMainWindow::connectRunsAsJobAndShowsVersionAndEnvironment()
{
    const ConnectParams params = fixture([] { return PgFixture::newDatabase(u"ui"_s); });
    QVERIFY(fixture([&] { return m_c.profiles->save(profileFor(u"shop-staging"_s, Environment::Staging, params)); }).has_value());
    MainWindow window(services());
    QCOMPARE(window.banner()->environmentText(), QString());
    // The sidebar's list is read in a job; connecting starts from the profile it shows.
    QTRY_VERIFY_WITH_TIMEOUT(window.sidebar()->model()->profile(u"shop-staging"_s), 60000);

    window.connectProfile(u"shop-staging"_s);
    // The GUI thread does not wait: the call returns while the job connects.
    QCOMPARE(window.connection()->state(), ConnectionController::State::Connecting);
    JobModel *jobs = window.jobsPanel()->model();
    QVERIFY(jobs->rowCount() >= 1);
    QCOMPARE(jobs->record(0).title, u"Connect to shop-staging"_s);
    const quint64 connectJob = jobs->record(0).id;

    QTRY_COMPARE_WITH_TIMEOUT(window.connection()->state(), ConnectionController::State::Connected, 60000);
    QVERIFY2(window.connectionStatus()->serverVersionText().startsWith(u"PostgreSQL 15."_s),
             qPrintable(window.connectionStatus()->serverVersionText()));
    QCOMPARE(window.connectionStatus()->stateText(), u"Connected to shop-staging"_s);
    QCOMPARE(window.banner()->environmentText(), u"STAGING"_s);
    QVERIFY(!window.banner()->isProduction());
    QVERIFY(window.banner()->detailText().contains(u"shop-staging"_s));
    QCOMPARE(window.connection()->server().database, params.value(u"dbname"_s));
    QVERIFY(window.sidebar()
                ->model()
                ->data(window.sidebar()->model()->indexOfProfile(u"shop-staging"_s), ProfileTreeModel::ConnectedRole)
                .toBool());
    QTRY_COMPARE_WITH_TIMEOUT(toString(jobs->record(jobs->rowOf(connectJob)).state), u"succeeded"_s, 60000);
}

void TestMainWindow::productionBannerSaysProduction()
{
    const ConnectParams params = fixture([] { return PgFixture::newDatabase(u"uiprod"_s); });
    QVERIFY(fixture([&] { return m_c.profiles->save(profileFor(u"billing-prod"_s, Environment::Production, params)); }).has_value());
    MainWindow window(services());
    QTRY_VERIFY_WITH_TIMEOUT(window.sidebar()->model()->profile(u"billing-prod"_s), 60000);
    window.connectProfile(u"billing-prod"_s);
    // Production shows while connecting already, not only once connected.
    QCOMPARE(window.banner()->environmentText(), u"PRODUCTION"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window.connection()->state(), ConnectionController::State::Connected, 60000);
    QCOMPARE(window.banner()->environmentText(), u"PRODUCTION"_s);
    QVERIFY(window.banner()->isProduction());
    QVERIFY(window.banner()->styleSheet().contains(environmentColor(Environment::Production)));
    QVERIFY(window.windowTitle().contains(u"production"_s));

    window.connection()->disconnectProfile();
    QCOMPARE(window.banner()->environmentText(), QString());
    QVERIFY(!window.banner()->isProduction());
}

void TestMainWindow::refusedPasswordPromptsAndRetries()
{
    const ConnectParams params = fixture([] { return PgFixture::newDatabase(u"uiauth"_s); });
    {
        FixtureWork setup;
        auto admin = PgFixture::connect(params);
        admin->exec(u"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ui_alice') THEN "
                    u"CREATE ROLE ui_alice LOGIN PASSWORD 'right-secret'; END IF; END $$"_s);
    }
    ConnectionProfile profile = profileFor(u"auth-dev"_s, Environment::Development, params);
    profile.user = u"ui_alice"_s;
    QVERIFY(fixture([&] { return m_c.profiles->save(profile); }).has_value());

    MainWindow window(services());
    QStringList answers{u"wrong-secret"_s, u"right-secret"_s};
    QList<int> seen;
    window.connection()->setPasswordPrompt([&](const ConnectionProfile &p, const Error &e) -> std::optional<QString> {
        seen.append(int(e.code));
        if (p.name != u"auth-dev"_s || answers.isEmpty())
            return std::nullopt;
        return answers.takeFirst();
    });
    window.connectProfile(u"auth-dev"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window.connection()->state(), ConnectionController::State::Connected, 60000);
    // No password at first, then a wrong one: each an Auth error that prompted again.
    QCOMPARE(seen, (QList<int>{int(ErrorCode::Auth), int(ErrorCode::Auth)}));
    QCOMPARE(window.connection()->server().currentUser, u"ui_alice"_s);
    QVERIFY(!window.connection()->server().superuser);
    QCOMPARE(window.connection()->sessionPassword(), u"right-secret"_s);
    // The password never reached the store.
    const QString stored = fixture([&] { return m_c.profiles->get(u"auth-dev"_s); })->toJson().value(u"target"_s).toString();
    QVERIFY(!stored.contains(u"secret"_s));
}

void TestMainWindow::unreachableServerShowsFailure()
{
    ConnectionProfile profile = plainProfile(u"nowhere"_s, Environment::Staging);
    profile.host = PgFixture::sandbox().socketDir();
    profile.port = 1; // no server listens there
    QVERIFY(fixture([&] { return m_c.profiles->save(profile); }).has_value());
    MainWindow window(services());
    window.connection()->setPasswordPrompt([](const ConnectionProfile &, const Error &) { return std::nullopt; });
    window.connectProfile(u"nowhere"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window.connection()->state(), ConnectionController::State::Failed, 60000);
    QCOMPARE(int(window.connection()->lastError().code), int(ErrorCode::Connect));
    QCOMPARE(window.connectionStatus()->stateText(), u"Connection to nowhere failed"_s);
    QCOMPARE(window.connectionStatus()->serverVersionText(), u"server —"_s);
    QVERIFY(window.findChild<QLabel *>(u"bannerStatus"_s)->text().contains(u"connection failed"_s));
}

void TestMainWindow::multiHostBannerSaysWhichHostAnswered()
{
    // Two hosts: the first refuses (nothing listens on port 1), the second is the sandbox.
    const ConnectParams params = fixture([] { return PgFixture::newDatabase(u"ui"_s); });
    ConnectionProfile profile = plainProfile(u"two-hosts"_s, Environment::Staging);
    profile.host.clear();
    profile.database.clear();
    profile.conninfo = u"host=127.0.0.1,%1 port=1,%2 dbname=%3 user=%4 connect_timeout=5"_s.arg(PgFixture::sandbox().socketDir())
                           .arg(PgFixture::sandbox().port())
                           .arg(params.value(u"dbname"_s), params.value(u"user"_s));
    QVERIFY(fixture([&] { return m_c.profiles->save(profile); }).has_value());
    MainWindow window(services());
    QTRY_VERIFY_WITH_TIMEOUT(window.sidebar()->model()->profile(u"two-hosts"_s), 60000); // the list is read in a job
    window.connectProfile(u"two-hosts"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window.connection()->state() != ConnectionController::State::Connecting, 30000);
    QVERIFY2(window.connection()->state() == ConnectionController::State::Connected,
             qPrintable(window.connection()->lastError().toString()));
    const QString status = window.findChild<QLabel *>(u"bannerStatus"_s)->text();
    const QString answered = u"answered by %1:%2"_s.arg(PgFixture::sandbox().socketDir()).arg(PgFixture::sandbox().port());
    QVERIFY2(status.contains(answered), qPrintable(status));
}

void TestMainWindow::logFilterMatches_data()
{
    QTest::addColumn<int>("minimum");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("level");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("matches");
    QTest::newRow("all") << int(LogLevel::Debug) << QString() << int(LogLevel::Debug) << u"x"_s << true;
    QTest::newRow("below level") << int(LogLevel::Warning) << QString() << int(LogLevel::Info) << u"x"_s << false;
    QTest::newRow("at level") << int(LogLevel::Warning) << QString() << int(LogLevel::Warning) << u"x"_s << true;
    QTest::newRow("text, any case") << int(LogLevel::Debug) << u"SANDBOX"_s << int(LogLevel::Info) << u"sandbox started"_s << true;
    QTest::newRow("text missing") << int(LogLevel::Debug) << u"lock"_s << int(LogLevel::Error) << u"sandbox started"_s << false;
    QTest::newRow("both") << int(LogLevel::Error) << u"lock"_s << int(LogLevel::Error) << u"lock timeout"_s << true;
}

void TestMainWindow::logFilterMatches()
{
    QFETCH(int, minimum);
    QFETCH(QString, text);
    QFETCH(int, level);
    QFETCH(QString, message);
    QFETCH(bool, matches);
    const LogFilter filter{LogLevel(minimum), text};
    LogRecord record;
    record.level = LogLevel(level);
    record.message = message;
    QCOMPARE(filter.matches(record), matches);
}

void TestMainWindow::logModelFiltersByLevelAndText()
{
    LogPanel panel(LogBuffer::instance());
    LogModel *model = panel.model();
    LogFilterModel *filter = panel.filterModel();
    const int before = model->rowCount();

    // Through spdlog, as the app logs: the buffer sink feeds the model.
    spdlog::debug("uitest-7f3 debug detail");
    spdlog::info("uitest-7f3 connected to billing");
    spdlog::warn("uitest-7f3 slow query on billing");
    spdlog::error("uitest-7f3 lock timeout on orders");
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), before + 4, 60000);

    auto *levels = panel.findChild<QComboBox *>(u"logLevelFilter"_s);
    auto *text = panel.findChild<QLineEdit *>(u"logTextFilter"_s);
    QVERIFY(levels && text);
    levels->setCurrentIndex(levels->findData(int(LogLevel::Debug)));
    text->setText(u"uitest-7f3"_s);
    QCOMPARE(filter->rowCount(), 4);
    levels->setCurrentIndex(levels->findData(int(LogLevel::Warning)));
    QCOMPARE(filter->rowCount(), 2);
    text->setText(u"BILLING"_s);
    QCOMPARE(filter->rowCount(), 1);
    QCOMPARE(filter->index(0, LogModel::Message).data().toString(), u"uitest-7f3 slow query on billing"_s);
    QCOMPARE(filter->index(0, LogModel::Level).data().toString(), u"warning"_s);
    levels->setCurrentIndex(levels->findData(int(LogLevel::Error)));
    QCOMPARE(filter->rowCount(), 0);
    text->clear();
    QVERIFY(filter->rowCount() >= 1);
    for (int row = 0; row < filter->rowCount(); ++row)
        QVERIFY(filter->index(row, 0).data(LogModel::LevelRole).toInt() >= int(LogLevel::Error));

    // A record logged on another thread arrives queued.
    auto *job = m_c.jobs->start(u"log from worker"_s, [](JobContext &) -> QVariant {
        spdlog::error("uitest-7f3 from a worker thread");
        return {};
    });
    Q_UNUSED(job);
    text->setText(u"from a worker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(filter->rowCount(), 1, 60000);
}

void TestMainWindow::jobsPanelCancelButtonCancelsRunningQuery()
{
    const ConnectParams params = fixture([] { return PgFixture::newDatabase(u"uicancel"_s); });
    JobsPanel panel(m_c.jobs.get());
    panel.resize(900, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel, 60000));

    Job *job = m_c.jobs->start(u"Sleep 30 s"_s, [params](JobContext &ctx) -> QVariant {
        auto conn = PgConnection::open(params, {}, ctx.token());
        ctx.progress(0, 0, u"sleeping"_s);
        conn->exec(u"SELECT pg_sleep(30)"_s, {}, ctx.token());
        return {};
    });
    const quint64 id = job->id();
    JobModel *model = panel.model();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->record(0).title, u"Sleep 30 s"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model->record(model->rowOf(id)).message, u"sleeping"_s, 60000);
    QCOMPARE(toString(model->record(model->rowOf(id)).state), u"running"_s);
    QVERIFY(model->index(model->rowOf(id), JobModel::Action).data(JobModel::CancellableRole).toBool());
    QCOMPARE(model->index(model->rowOf(id), JobModel::Action).data().toString(), u"Cancel"_s);
    // Let pg_sleep reach the server: cancel a query that is running, not one about to start.
    auto monitor = fixture([&] { return PgFixture::connect(params); });
    QTRY_VERIFY_WITH_TIMEOUT(fixture([&] {
                                 return monitor->exec(u"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                                      u"AND state = 'active' AND query = 'SELECT pg_sleep(30)'"_s);
                             })
                                     .value(0, 0)
                                     .toInt()
                                 == 1,
                             60000);

    QTreeView *view = panel.view();
    const QRect cell = view->visualRect(model->index(model->rowOf(id), JobModel::Action));
    QVERIFY(cell.isValid());
    QElapsedTimer timer;
    timer.start();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, JobDelegate::buttonRect(cell).center());
    QTRY_COMPARE_WITH_TIMEOUT(toString(model->record(model->rowOf(id)).state), u"cancelled"_s, 60000);
    // Cancelled, not waited out: well before the 30 s sleep would have ended (a bound for load).
    QVERIFY2(timer.elapsed() < 20000, qPrintable(u"cancel took %1 ms"_s.arg(timer.elapsed())));
    QVERIFY(!model->index(model->rowOf(id), JobModel::Action).data(JobModel::CancellableRole).toBool());
    QCOMPARE(model->index(model->rowOf(id), JobModel::State).data().toString(), u"cancelled"_s);
}

void TestMainWindow::profileDialogFillsFromUri()
{
    ProfileDialog dialog(ConnectionProfile{}, m_c.profiles.get(), m_c.jobs.get());
    QVERIFY(dialog.fillFromUrl(u"postgresql://bob:s3cret@db.example.com:6543/orders?sslmode=require"_s));
    QCOMPARE(dialog.mode(), ProfileDialog::Mode::Fields);
    QString password;
    auto p = dialog.formProfile(&password);
    QVERIFY(p.has_value());
    QCOMPARE(p->host, u"db.example.com"_s);
    QCOMPARE(p->port, 6543);
    QCOMPARE(p->database, u"orders"_s);
    QCOMPARE(p->user, u"bob"_s);
    QCOMPARE(p->sslMode, u"require"_s);
    QCOMPARE(p->name, u"orders"_s);
    QCOMPARE(password, u"s3cret"_s);
    QCOMPARE(dialog.password(), u"s3cret"_s);
    QVERIFY(!QJsonDocument(p->toJson()).toJson().contains("s3cret"));

    // Saving stores the profile (in a job: accepted once stored), never the password.
    dialog.accept();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 60000);
    auto stored = fixture([&] { return m_c.profiles->get(u"orders"_s); });
    QVERIFY(stored.has_value());
    QCOMPARE(stored->host, u"db.example.com"_s);
    QVERIFY(!stored->conninfo.contains(u"s3cret"_s));
    QVERIFY(!stored->savePassword); // no keychain in this test (DBOPS_KEYCHAIN=off)
}

void TestMainWindow::profileDialogShowsMalformedUriError()
{
    ProfileDialog dialog(ConnectionProfile{}, m_c.profiles.get(), m_c.jobs.get());
    QVERIFY(!dialog.fillFromUrl(u"postgresql://db.example.com:notaport/orders"_s));
    auto *error = dialog.findChild<QLabel *>(u"urlError"_s);
    QVERIFY(error);
    QVERIFY(error->isVisibleTo(&dialog));
    QVERIFY2(error->text().contains(u"Not a valid connection string"_s), qPrintable(error->text()));
    QVERIFY2(error->text().contains(u"port"_s, Qt::CaseInsensitive), qPrintable(error->text()));

    // A keyword string with an unknown keyword: libpq's own message.
    QVERIFY(!dialog.fillFromUrl(u"host=x bogus_keyword=1"_s));
    QVERIFY2(error->text().contains(u"bogus_keyword"_s), qPrintable(error->text()));

    // Without a keychain the dialog says so and offers .pgpass / prompting.
    auto *note = dialog.findChild<QLabel *>(u"keychainNote"_s);
    QVERIFY(note->text().contains(u"No OS keychain"_s));
    QVERIFY(note->text().contains(u".pgpass"_s));

    // An invalid form is refused inline, nothing is stored.
    dialog.accept();
    QVERIFY(!dialog.errorText().isEmpty());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestMainWindow::profileDialogTestConnectionShowsServerFacts()
{
    const ConnectParams params = fixture([] { return PgFixture::newDatabase(u"uitest"_s); });
    ProfileDialog dialog(profileFor(u"try-me"_s, Environment::Development, params), m_c.profiles.get(), m_c.jobs.get());
    const int jobsBefore = int(m_c.jobs->records().size());
    dialog.testConnection();
    QCOMPARE(int(m_c.jobs->records().size()), jobsBefore + 1);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.testResultText().contains(u"Connection works"_s), 60000);
    const QString text = dialog.testResultText();
    QVERIFY2(text.contains(u"PostgreSQL 15."_s), qPrintable(text));
    QVERIFY(text.contains(u" ms"_s));
    QVERIFY(text.contains(u"SSL"_s));
    QVERIFY(text.contains(u"postgres"_s));
    QVERIFY(text.contains(u"superuser"_s));
    QVERIFY(text.contains(params.value(u"dbname"_s)));
}

void TestMainWindow::migrationFilesViewListsAndShowsSql()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString &name, const QByteArray &text) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write(u"0010_later.sql"_s, "SELECT 10;\n");
    write(u"0002_orders.sql"_s, "-- orders\nCREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    note text DEFAULT 'x'\n);\n");
    write(u"0001_init.sql"_s, "CREATE TABLE users (id int);\n");
    write(u"README.md"_s, "not a migration");

    MigrationFilesView view(m_c.jobs.get());
    QSignalSpy listed(&view, &MigrationFilesView::listingLoaded);
    QSignalSpy shown(&view, &MigrationFilesView::fileShown);
    view.setFolder(dir.path(), u"demo"_s);
    QTRY_COMPARE_WITH_TIMEOUT(listed.size(), 1, 60000);
    QCOMPARE(listed.at(0).at(0).toInt(), 3);
    MigrationFilesModel *model = view.model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->files().at(0).name, u"0001_init.sql"_s);
    QCOMPARE(model->files().at(1).name, u"0002_orders.sql"_s);
    QCOMPARE(model->files().at(2).name, u"0010_later.sql"_s);
    QCOMPARE(model->index(0, MigrationFilesModel::Size).data(MigrationFilesModel::SortRole).toLongLong(), qint64(29));

    // The first file opens by itself (read in a job); choosing another shows it.
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
    QVERIFY(view.codeView()->toPlainText().contains(u"CREATE TABLE users"_s));
    view.fileView()->setCurrentIndex(view.fileView()->model()->index(1, 0));
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 2, 60000);
    QCOMPARE(view.shownFile(), dir.filePath(u"0002_orders.sql"_s));
    CodeView *code = view.codeView();
    QCOMPARE(code->blockCount(), 6);
    QVERIFY(code->isReadOnly());
    QVERIFY(code->gutterWidth() > 0);
    // Highlighted: the comment line and the keyword line carry formats.
    QVERIFY(!code->document()->findBlockByNumber(0).layout()->formats().isEmpty());
    QVERIFY(!code->document()->findBlockByNumber(1).layout()->formats().isEmpty());

    // A folder that does not exist is said so, not an error dialog.
    QSignalSpy relisted(&view, &MigrationFilesView::listingLoaded);
    view.setFolder(dir.filePath(u"missing"_s), u"demo"_s);
    QTRY_COMPARE_WITH_TIMEOUT(relisted.size(), 1, 60000);
    QCOMPARE(model->rowCount(), 0);
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
