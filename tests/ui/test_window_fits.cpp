// The console fits a 1280×800 screen with every view and a long banner, and never asks for more
// than the screen has: real PostgreSQL, offscreen (STYLE T2).
#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "ui/console/consoleviews.h"
#include "ui/jobs/activitydock.h"
#include "ui/main/connectioncontroller.h"
#include "ui/main/mainwindow.h"
#include "ui/profiles/profilesidebar.h"
#include "ui/profiles/profiletreemodel.h"

#include <QApplication>
#include <QFile>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::fixture;
using dbops::test::PgFixture;
using dbops::test::profileFor;

namespace
{
    /// 1280×800 less what a window manager and a panel take (title bar, a task bar).
    constexpr int kWidth = 1280;
    constexpr int kHeight = 800 - 60;

    /// The widgets whose minimum width is larger than `limit`, deepest first: what to fix.
    QStringList widestChildren(QWidget *root, int limit)
    {
        QStringList out;
        const auto children = root->findChildren<QWidget *>();
        for (QWidget *w : children)
            if (w->minimumSizeHint().width() > limit)
                out << u"%1 (%2): %3"_s.arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()))
                           .arg(w->minimumSizeHint().width());
        return out;
    }
}

class TestWindowFits final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyViewFitsTheSmallScreen();
    void savedGeometryLargerThanTheScreenIsShrunk();

private:
    QTemporaryDir m_home;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;
};

void TestWindowFits::initTestCase()
{
    DBOPS_REQUIRE_PG();
    QVERIFY(m_home.isValid());
    dbops::test::usePrivateHome(m_home.path());
    dbops::test::watchGuiThread();
    m_store = std::make_unique<Store>(m_home.filePath(u"store.sqlite"_s));
    QVERIFY(fixture([&] { return m_store->open(); }).has_value());
    m_profiles = std::make_unique<ProfileStore>(*m_store);
    m_jobs = std::make_unique<JobManager>();
}

void TestWindowFits::cleanupTestCase()
{
    dbops::test::verifyGuiThreadClean();
}

void TestWindowFits::everyViewFitsTheSmallScreen()
{
    // Long names everywhere they show: the profile, its database, its folder, a failed attempt
    // beside the target in the banner.
    const ConnectParams params = fixture([] { return PgFixture::newDatabase(u"fits_with_a_rather_long_database_name"_s); });
    QTemporaryDir migrations;
    dbops::test::writeFile(migrations.path(), u"0001_create_a_table_with_a_long_descriptive_name.sql"_s,
                           "CREATE TABLE customer_invoice_line_items (id int);\n");
    const QString name = u"orders-service-staging-eu-central-replica"_s;
    QVERIFY(fixture([&] { return m_profiles->save(profileFor(name, Environment::Staging, params, migrations.path())); }).has_value());
    ConnectionProfile unreachable = profileFor(u"orders-service-production-eu-central-primary"_s, Environment::Production, params);
    unreachable.port = 1;
    QVERIFY(fixture([&] { return m_profiles->save(unreachable); }).has_value());

    LockMonitor monitor(*m_jobs, m_profiles.get(), m_store.get());
    MainWindow window({m_store.get(), m_profiles.get(), m_jobs.get()});
    installConsoleViews(window, monitor);
    window.show(); // before anything loads, as dbops-gui does: every later change must lay out again
    window.connection()->setPasswordPrompt([](const ConnectionProfile &, const Error &) { return std::nullopt; });
    QTRY_VERIFY_WITH_TIMEOUT(window.sidebar()->model()->profile(unreachable.name), 60000);
    window.connectProfile(name);
    QTRY_VERIFY_WITH_TIMEOUT(window.connection()->state() == ConnectionController::State::Connected, 60000);
    window.connectProfile(unreachable.name);
    QTRY_VERIFY_WITH_TIMEOUT(window.connection()->attemptFailedKeepingTarget(), 60000);

    for (int i = 0; i < window.views()->count(); ++i)
    {
        window.views()->setCurrentIndex(i);
        QCoreApplication::processEvents();
        const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(minimum.width() <= kWidth, qPrintable(u"%1: the window needs %2 px: %3"_s.arg(window.views()->tabText(i))
                                                           .arg(minimum.width())
                                                           .arg(widestChildren(&window, kWidth - 400).join(u"; "_s))));
        QVERIFY2(minimum.height() <= kHeight,
                 qPrintable(u"%1: the window needs %2 px of height"_s.arg(window.views()->tabText(i)).arg(minimum.height())));
        // The activity strip spans the window, so its last-job line has room (it was once packed
        // into its size hint at the left, the line cut to nothing and "no job running" clipped).
        window.activityDock()->setExpanded(false); // the failed connect above opened it
        QCoreApplication::processEvents();
        const auto *strip = window.findChild<QWidget *>(u"activityStrip"_s);
        const auto *last = window.findChild<QLabel *>(u"activityLast"_s);
        QVERIFY(strip && last);
        QVERIFY2(strip->width() >= window.width() - 40,
                 qPrintable(u"%1: the activity strip is %2 px in a %3 px window"_s.arg(window.views()->tabText(i))
                                .arg(strip->width())
                                .arg(window.width())));
        QVERIFY2(last->isVisible() && last->width() >= 300, qPrintable(u"the last-job line is %1 px wide"_s.arg(last->width())));
    }
}

void TestWindowFits::savedGeometryLargerThanTheScreenIsShrunk()
{
    // A geometry saved on a large monitor, restored on a small one: the window fits the screen.
    {
        MainWindow big({m_store.get(), m_profiles.get(), m_jobs.get()});
        big.setQuitConfirm([](const QStringList &) { return true; }); // its profile list may still be read
        big.resize(5000, 4000);
        QVERIFY(big.close()); // saves the geometry
    }
    MainWindow window({m_store.get(), m_profiles.get(), m_jobs.get()});
    window.show();
    const QRect available = window.screen()->availableGeometry();
    QVERIFY2(
        window.width() <= available.width() && window.height() <= available.height(),
        qPrintable(u"%1x%2 on a %3x%4 screen"_s.arg(window.width()).arg(window.height()).arg(available.width()).arg(available.height())));
}

int main(int argc, char *argv[])
{
    // The offscreen platform's one screen is 800×800 by default; this test wants a laptop's.
    QTemporaryDir config;
    const QString file = config.filePath(u"screens.json"_s);
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly)
        || out.write(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96,
                         "logicalBaseDpi": 96, "dpr": 1}]})")
               < 0)
        return 2;
    out.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + file.toLocal8Bit());
    QApplication app(argc, argv);
    TestWindowFits test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_window_fits.moc"
