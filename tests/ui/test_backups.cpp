// The Backups view against a real PostgreSQL: Back up now as a job, the catalog model, the
// pre-migration switch, restore into a new database, delete, and the restore dialog's typed
// confirmation.
#include "core/backup/backupcatalog.h"
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "ui/backups/backupsview.h"
#include "ui/backups/backuptablemodel.h"
#include "ui/backups/restoredialog.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestBackups final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;
    ConnectionProfile m_profile;

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        qputenv("DBOPS_HOME", m_dir.filePath(u"home"_s).toUtf8()); // backups go under the private home
        m_store = std::make_unique<Store>(m_dir.filePath(u"store.sqlite"_s));
        QVERIFY(m_store->open().has_value());
        m_profiles = std::make_unique<ProfileStore>(*m_store);
        m_jobs = std::make_unique<JobManager>();
        const ConnectParams db = PgFixture::newDatabase(u"ui_backups"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE orders(id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 321)"_s);
        m_profile.name = u"shop"_s;
        m_profile.environment = Environment::Production;
        m_profile.host = PgFixture::sandbox().socketDir();
        m_profile.port = PgFixture::sandbox().port();
        m_profile.user = u"postgres"_s;
        m_profile.database = db.value(u"dbname"_s);
        auto saved = m_profiles->save(m_profile);
        QVERIFY2(saved.has_value(), qPrintable(saved ? QString() : saved.error().toString()));
        dbops::test::watchGuiThread(); // the view makes no libpq/SQLite call on it
    }

    void cleanupTestCase() { dbops::test::verifyGuiThreadClean(); }

    void backUpNowVerifyRestoreDelete()
    {
        BackupsView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.resize(1100, 600);
        view.show();
        view.setProfile(m_profile);
        QTRY_VERIFY_WITH_TIMEOUT(view.backupButton()->isEnabled(), 60000);
        QCOMPARE(view.model()->rowCount(), 0);

        QSignalSpy finished(&view, &BackupsView::jobFinished);
        QTest::mouseClick(view.backupButton(), Qt::LeftButton);
        QVERIFY(view.currentJob());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 60000);
        const QModelIndex state = view.model()->index(0, BackupTableModel::VerificationColumn);
        QCOMPARE(state.data().toString(), u"verified"_s);
        const BackupEntry entry = view.model()->entry(0);
        QVERIFY(QFileInfo::exists(entry.path));
        QCOMPARE(entry.rowCounts.value(u"public.orders"_s), 321);

        // The pre-migration switch is the profile's policy in the store.
        QTRY_VERIFY_WITH_TIMEOUT(view.preMigrationCheck()->isChecked(), 60000);
        view.preMigrationCheck()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!dbops::test::fixture([&] { return BackupCatalog(*m_store).policy(u"shop"_s); }).preMigrationBackup,
                                 60000);

        // Restore into a new database (the dialog's default), as a job.
        RestoreRequest request;
        request.profile = m_profile;
        request.backupId = entry.id;
        request.newDatabase = m_profile.database + u"_ui_copy"_s;
        finished.clear();
        view.startRestore(request, {});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(
            dbops::test::fixture([&] {
                return PgFixture::connect(PgFixture::sandbox().connectParams(request.newDatabase))->exec(u"SELECT count(*) FROM orders"_s);
            })
                .value(0, 0)
                .toInt(),
            321);

        // Delete (confirmed): the file leaves, the entry too.
        view.table()->selectRow(0);
        finished.clear();
        view.deleteSelected(true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 0, 60000);
        QVERIFY(!QFileInfo::exists(entry.path));
    }

    void restoreDialogNeedsTheNameTypedToReplace()
    {
        RestoreDialog dialog(u"backup 1 of shop"_s, {m_profile}, u"shop"_s, u"shop_restored"_s);
        QVERIFY(dialog.okButton()->isEnabled()); // a new database is the default
        QVERIFY(dialog.request().replaceDatabase.isEmpty());
        dialog.replaceButton()->setChecked(true);
        QVERIFY(!dialog.okButton()->isEnabled());
        dialog.replaceNameEdit()->setText(u"shop"_s);
        QVERIFY(!dialog.okButton()->isEnabled());
        dialog.confirmEdit()->setText(u"sho"_s);
        QVERIFY(!dialog.okButton()->isEnabled());
        dialog.confirmEdit()->setText(u"shop"_s);
        QVERIFY(dialog.okButton()->isEnabled());
        const RestoreRequest r = dialog.request();
        QCOMPARE(r.replaceDatabase, u"shop"_s);
        QCOMPARE(r.confirm, u"shop"_s);
        QCOMPARE(r.profile.name, u"shop"_s);
        QVERIFY(r.newDatabase.isEmpty());
    }
};

QTEST_MAIN(TestBackups)
#include "test_backups.moc"
