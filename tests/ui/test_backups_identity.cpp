// The Backups view keeps its selection on a backup, not a row (issue 12): a new backup or a
// refresh leaves the same id selected, a backup that left the catalog takes the selection and its
// actions with it. The view is never stale: Refresh (and F5) read again, and a backup of another
// dbops (a real `dbops backup` child) or of this process (a pre-migration backup) appears by itself
// when the store changes. Nothing is deleted silently: changing retention shows what it removes
// now and asks (nothing changes when the DBA declines), and a Back up now whose retention removed
// backups says how many, which and where they went.
#include "core/backup/backupcatalog.h"
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/backupops.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "core/store/storewatcher.h"
#include "tests/support/cli.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "ui/backups/backupsview.h"
#include "ui/backups/backuptablemodel.h"

#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestBackupsIdentity final : public QObject
{
    Q_OBJECT

    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;

    ConnectionProfile saved(const QString &prefix, Environment env)
    {
        return fixture([&] {
            const ConnectParams db = PgFixture::newDatabase(prefix);
            PgFixture::connect(db)->exec(u"CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 50)"_s);
            const ConnectionProfile p = profileFor(db.value(u"dbname"_s), env, db);
            auto r = m_profiles->save(p);
            if (!r)
                qWarning() << r.error().toString();
            return p;
        });
    }

    /// A verified backup taken in this process, as the timeline's pre-change rule takes one.
    BackupEntry backUp(const ConnectionProfile &profile, const QString &kind = u"manual"_s)
    {
        const ops::Target target{profile, {}, m_store.get(), m_profiles.get()};
        BackupRequest request;
        request.kind = kind;
        const auto taken =
            m_jobs->run(makeJob<BackupEntry>(u"backup"_s, [target, request](JobContext &jc) { return ops::backup(target, request, jc); }));
        if (taken.error)
            qWarning() << taken.error->toString();
        return taken.value.value_or(BackupEntry{});
    }

    static bool actionsEnabled(const BackupsView &view)
    {
        for (QPushButton *b : view.selectionActions())
            if (b->isEnabled())
                return true;
        return false;
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        // The store the CLI children use (runCli sets the same DBOPS_HOME and no keychain).
        qputenv("DBOPS_HOME", PgFixture::home().toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open().has_value());
        m_profiles = std::make_unique<ProfileStore>(*m_store);
        m_jobs = std::make_unique<JobManager>();
        watchGuiThread();
    }

    void cleanupTestCase() { verifyGuiThreadClean(); }

    /// Select a backup, a new one arrives, refresh: the same id is selected (it was the row below
    /// before). Delete it: no selection, and every action on a selected backup disabled.
    void selectionStaysOnTheBackupId()
    {
        const ConnectionProfile profile = saved(u"bk_ident"_s, Environment::Staging);
        const BackupEntry first = backUp(profile);
        const BackupEntry second = backUp(profile);
        QVERIFY(first.id > 0 && second.id > first.id);

        BackupsView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.setProfile(profile);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 60000);
        QCOMPARE(view.selectedId(), 0); // nothing is selected until the DBA selects
        QVERIFY(!actionsEnabled(view));
        view.table()->selectRow(view.model()->rowOf(first.id));
        QCOMPARE(view.selectedId(), first.id);
        QVERIFY(actionsEnabled(view));

        const BackupEntry third = backUp(profile); // newest first: it takes row 0
        QVERIFY(third.id > second.id);
        view.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 3, 60000);
        QCOMPARE(view.model()->rowOf(first.id), 2);
        QCOMPARE(view.selectedId(), first.id);
        QVERIFY(actionsEnabled(view));

        view.refresh(); // a refresh with nothing new keeps it too
        QSignalSpy reset(view.model(), &QAbstractItemModel::modelReset);
        QTRY_VERIFY_WITH_TIMEOUT(m_jobs->activeCount() == 0, 60000);
        QCOMPARE(view.selectedId(), first.id);

        // The selected backup leaves the catalog (deleted elsewhere): the selection goes with it.
        const CliResult removed = runCli({u"backups"_s, u"remove"_s, QString::number(first.id), u"--yes"_s});
        QVERIFY2(removed.exitCode == 0, qPrintable(removed.both()));
        view.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 60000);
        QCOMPARE(view.model()->rowOf(first.id), -1);
        QCOMPARE(view.selectedId(), 0);
        QVERIFY(view.table()->selectionModel()->selectedRows().isEmpty());
        QVERIFY(!actionsEnabled(view));
        QVERIFY(reset.isEmpty()); // rows were removed and inserted, never a reset
    }

    /// The Refresh button reads again: a backup added behind the view's back appears on a click.
    void refreshButtonReadsAgain()
    {
        const ConnectionProfile profile = saved(u"bk_refresh"_s, Environment::Development);
        BackupsView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.setProfile(profile);
        QTRY_VERIFY_WITH_TIMEOUT(view.backupButton()->isEnabled(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_jobs->activeCount() == 0, 60000);
        QCOMPARE(view.model()->rowCount(), 0);
        const BackupEntry taken = backUp(profile); // no store watcher here: only Refresh shows it
        QVERIFY(taken.id > 0);
        QVERIFY(view.refreshButton()->isVisibleTo(&view));
        QTest::mouseClick(view.refreshButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 60000);
        QCOMPARE(view.model()->entry(0).id, taken.id);
    }

    /// A `dbops backup` child's backup and a pre-migration backup of this process appear by
    /// themselves: the view reloads when the store changed.
    void cliAndPreMigrationBackupsAppearByThemselves()
    {
        const ConnectionProfile profile = saved(u"bk_watch"_s, Environment::Staging);
        StoreWatcher watcher(*m_store);
        BackupsView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.watchStore(&watcher);
        view.setProfile(profile);
        QTRY_VERIFY_WITH_TIMEOUT(view.backupButton()->isEnabled(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_jobs->activeCount() == 0, 60000);
        QCOMPARE(view.model()->rowCount(), 0);

        const CliResult r = runCli({u"backup"_s, u"--profile"_s, profile.name, u"--json"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        const qint64 cliId = r.json().value(u"id"_s).toInteger();
        QVERIFY(cliId > 0);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowOf(cliId), 0, 60000);

        const BackupEntry pre = backUp(profile, u"pre-migration"_s);
        QVERIFY(pre.id > cliId);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowOf(pre.id), 0, 60000);
        QCOMPARE(view.model()->rowCount(), 2);
    }
    /// Retention on production: the change is previewed (the rule the run uses) and asked for;
    /// declined, nothing changes; accepted, exactly those go to the trash and the view says so.
    /// Back up now's retention run says what it removed. The test-restored backup and the
    /// newest verified one stay throughout.
    void retentionIsPreviewedAskedAndReported()
    {
        const ConnectionProfile profile = saved(u"bk_ret"_s, Environment::Production);
        const BackupEntry proven = backUp(profile);
        const BackupEntry b = backUp(profile);
        const BackupEntry c = backUp(profile);
        const BackupEntry d = backUp(profile);
        QVERIFY(proven.id > 0 && d.id > c.id && c.id > b.id);
        fixture([&] { // the DBA test-restored this one
            BackupEntry e = BackupCatalog(*m_store).get(proven.id);
            e.testRestore = u"ok: 1 tables' row counts match"_s;
            BackupCatalog(*m_store).update(e);
        });

        BackupsView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.setProfile(profile);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 4, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_jobs->activeCount() == 0, 60000);
        QList<ops::RetentionPreview> asked;
        bool accept = false;
        view.setRetentionConfirm([&](const ops::RetentionPreview &p) {
            asked << p;
            return accept;
        });

        // Declined: the switch goes back, the policy and the catalog stay as they were.
        view.keepLastBox()->setValue(1);
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, 60000);
        QCOMPARE(asked.first().ids(), (QList<qint64>{c.id, b.id}));
        QVERIFY2(asked.first().text.contains(u"#%1 of "_s.arg(b.id)), qPrintable(asked.first().text));
        QTRY_COMPARE_WITH_TIMEOUT(view.keepLastBox()->value(), 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_jobs->activeCount() == 0, 60000);
        QCOMPARE(fixture([&] { return BackupCatalog(*m_store).policy(profile.name).keepLast; }), 0);
        QCOMPARE(int(fixture([&] { return BackupCatalog(*m_store).list(profile.name).size(); })), 4);
        QVERIFY2(view.statusText().contains(u"nothing was removed"_s), qPrintable(view.statusText()));

        // Accepted: exactly the previewed ones go, to the trash, and the view says which.
        accept = true;
        view.keepLastBox()->setValue(1);
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 2, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 60000);
        QVERIFY(view.model()->rowOf(proven.id) >= 0 && view.model()->rowOf(d.id) >= 0);
        QTRY_VERIFY2_WITH_TIMEOUT(view.statusText().contains(u"moved 2 backup(s) to the trash"_s), qPrintable(view.statusText()), 60000);
        QVERIFY2(view.statusText().contains(u"#%1 of "_s.arg(b.id)) && view.statusText().contains(u"#%1 of "_s.arg(c.id)),
                 qPrintable(view.statusText()));
        QCOMPARE(fixture([&] { return BackupCatalog(*m_store).policy(profile.name).keepLast; }), 1);
        const QList<TrashedBackup> trash = fixture([&] { return BackupCatalog(*m_store).trashed(profile.name); });
        QCOMPARE(trash.size(), 2);
        for (const TrashedBackup &t : trash)
            QVERIFY(QFileInfo::exists(t.trashPath) && !QFileInfo::exists(t.entry.path));

        // Back up now: its retention run takes d (no longer the newest verified), never the
        // test-restored one, and the view says so.
        QTRY_VERIFY_WITH_TIMEOUT(m_jobs->activeCount() == 0, 60000);
        QSignalSpy finished(&view, &BackupsView::jobFinished);
        QTest::mouseClick(view.backupButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY2(view.statusText().contains(u"retention moved 1 backup(s) to the trash"_s)
                     && view.statusText().contains(u"#%1 of "_s.arg(d.id)) && view.statusText().contains(BackupCatalog::trashDir()),
                 qPrintable(view.statusText()));
        // The count is 2 before the view reads the catalog again (proven, d) and after (proven,
        // the new one): wait for d to go, not for the count.
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowOf(d.id), -1, 60000);
        QCOMPARE(view.model()->rowCount(), 2);
        QVERIFY(view.model()->rowOf(proven.id) >= 0);
    }
};

QTEST_MAIN(TestBackupsIdentity)
#include "test_backups_identity.moc"
