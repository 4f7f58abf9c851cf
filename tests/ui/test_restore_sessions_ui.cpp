// Issue 12, offscreen against a real PostgreSQL, as a least-privileged role (owns its database,
// CREATEDB, no superuser): the restore dialog lists only OTHER sessions of the database to
// replace (never the console's own lock monitor), and the Backups view's replace with "End other
// sessions" ends the other one, never the monitor: the monitor is paused for the swap through the
// hook the view passes, and its first refresh after succeeds.
#include "core/backup/backupcatalog.h"
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/ops/backupops.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/locks.h"
#include "tests/support/pgfixture.h"
#include "ui/backups/backupsview.h"
#include "ui/backups/backuptablemodel.h"
#include "ui/backups/restoredialog.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestRestoreSessionsUi final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;
    ConnectionProfile m_profile;
    QString m_password;
    ConnectParams m_asRole;

    int pidOf(const QString &application) const
    {
        return dbops::test::fixture([&] {
            const QueryResult r = PgFixture::connect(PgFixture::sandbox().connectParams())
                                      ->exec(u"SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2"_s,
                                             {m_profile.database, application});
            return r.rowCount() == 1 ? r.value(0, 0).toInt() : 0;
        });
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        qputenv("DBOPS_HOME", m_dir.filePath(u"home"_s).toUtf8());
        m_store = std::make_unique<Store>(m_dir.filePath(u"store.sqlite"_s));
        QVERIFY(m_store->open().has_value());
        m_profiles = std::make_unique<ProfileStore>(*m_store);
        m_jobs = std::make_unique<JobManager>();
        const ConnectParams db = PgFixture::newDatabase(u"ui_own"_s);
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        m_password = u"pw-"_s + db.value(u"dbname"_s);
        const QString role = newRole(*admin, u"ui_restorer"_s, m_password);
        admin->exec(u"ALTER ROLE "_s + admin->escapeIdentifier(role) + u" CREATEDB"_s);
        admin->exec(u"ALTER DATABASE "_s + admin->escapeIdentifier(db.value(u"dbname"_s)) + u" OWNER TO "_s
                    + admin->escapeIdentifier(role));
        m_asRole = db;
        m_asRole.set(u"user"_s, role);
        m_asRole.password = m_password;
        PgFixture::connect(m_asRole)->exec(u"CREATE TABLE orders(id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 50)"_s);
        m_profile = profileFor(u"shop-own"_s, Environment::Production, m_asRole);
        auto saved = m_profiles->save(m_profile);
        QVERIFY2(saved.has_value(), qPrintable(saved ? QString() : saved.error().toString()));
        dbops::test::watchGuiThread();
    }

    void cleanupTestCase() { dbops::test::verifyGuiThreadClean(); }

    void dialogListsOnlyOtherSessionsAndReplaceSparesTheMonitor()
    {
        LockMonitor monitor(*m_jobs, m_profiles.get(), m_store.get());
        BackupsView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.setOwnSessions(ops::lockMonitorUsers(monitor.pauseHandle()));
        view.resize(1100, 600);
        view.show();
        view.setProfile(m_profile, m_password);
        QTRY_VERIFY_WITH_TIMEOUT(view.backupButton()->isEnabled(), 60000);
        QSignalSpy finished(&view, &BackupsView::jobFinished);
        QTest::mouseClick(view.backupButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 60000);
        const BackupEntry entry = view.model()->entry(0);
        dbops::test::fixture([&] { PgFixture::connect(m_asRole)->exec(u"DELETE FROM orders WHERE id > 7"_s); });

        // The console's monitor on the database, and another client (psql, the same role).
        monitor.setTarget(m_profile, m_password);
        QVERIFY(dbops::test::monitorRefreshed(monitor));
        QProcess other;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PGPASSWORD"_s, m_password); // the test's own psql, not dbops's child
        other.setProcessEnvironment(env);
        other.start(PgFixture::sandbox().binDir() + u"/psql"_s,
                    {u"-X"_s, u"-q"_s,
                     u"dbname=%1 host=%2 port=%3 user=%4 application_name=someone-else"_s.arg(
                         m_profile.database, PgFixture::sandbox().socketDir(), QString::number(PgFixture::sandbox().port()),
                         m_asRole.value(u"user"_s))});
        QVERIFY(other.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(pidOf(u"someone-else"_s) != 0, 60000);
        const int otherPid = pidOf(u"someone-else"_s);
        const int monitorPid = pidOf(u"dbops lock monitor"_s);
        QVERIFY(monitorPid != 0);

        // The dialog lists the other session only.
        RestoreDialog dialog(u"backup %1"_s.arg(entry.id), {m_profile}, m_profile.name, u"unused"_s);
        dialog.listSessionsWith(m_jobs.get(), [this](const ConnectionProfile &p) {
            return ops::Target{p, m_password, m_store.get(), m_profiles.get()};
        });
        dialog.show();
        QSignalSpy listed(&dialog, &RestoreDialog::sessionsListed);
        dialog.replaceButton()->setChecked(true);
        dialog.replaceNameEdit()->setText(m_profile.database);
        dialog.confirmEdit()->setText(m_profile.database);
        QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty() && listed.last().first().toString() == m_profile.database, 60000);
        QCOMPARE(dialog.listedSessionPids(), QList<int>{otherPid});
        QVERIFY2(dialog.sessionsLabel()->text().contains(u"someone-else"_s), qPrintable(dialog.sessionsLabel()->text()));
        QVERIFY2(!dialog.sessionsLabel()->text().contains(u"dbops lock monitor"_s), qPrintable(dialog.sessionsLabel()->text()));
        QVERIFY(!dialog.sessionsLabel()->text().contains(QString::number(monitorPid)));

        // Replace with "End other sessions" from the view: the other one is ended, the monitor is
        // not (it was paused and reconnects cleanly).
        dialog.terminateCheck()->setChecked(true);
        QVERIFY(dialog.okButton()->isEnabled());
        RestoreRequest request = dialog.request();
        request.backupId = entry.id;
        finished.clear();
        view.startRestore(request, m_password, dialog.confirmation());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(pidOf(u"someone-else"_s), 0, 30000);
        QCOMPARE(
            dbops::test::fixture([&] { return PgFixture::connect(m_asRole)->exec(u"SELECT count(*) FROM orders"_s).value(0, 0).toInt(); }),
            50);
        QVERIFY(!monitor.isPaused());
        QVERIFY(dbops::test::monitorRefreshed(monitor)); // a terminated monitor failed this one
        other.closeWriteChannel();
        QVERIFY(other.waitForFinished(30000));
    }
};

QTEST_MAIN(TestRestoreSessionsUi)
#include "test_restore_sessions_ui.moc"
