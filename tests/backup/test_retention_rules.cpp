// Retention never deletes silently (issue 12): a test-restored backup and the newest verified one
// are never removed; what a change of retention removes is previewed by the rule the run uses and
// applied only when accepted; what it removes goes to dbops's trash (recorded, and can be put
// back); the CLI asks (or needs --yes) before `backups policy` removes and before `backups remove`.
#include "core/backup/backupcatalog.h"
#include "core/ops/backupops.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/cli.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestRetentionRules final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<Store> m_store;

    struct Made
    {
        qint64 testRestored, failedOld, verifiedOld, unverified, newestVerified, failedNew;
    };

    /// Six catalogued archives of `profile`, oldest first, one day apart (no pg_dump needed:
    /// retention reads the catalog and moves files).
    Made make(const QString &profile)
    {
        BackupCatalog catalog(*m_store);
        const QDir dir(m_home.filePath(u"archives/"_s + profile));
        QDir().mkpath(dir.path());
        QList<qint64> ids;
        const QList<std::pair<VerifyState, QString>> kinds = {
            {VerifyState::Verified, u"ok: 3 tables' row counts match"_s},
            {VerifyState::Failed, {}},
            {VerifyState::Verified, {}},
            {VerifyState::Unverified, {}},
            {VerifyState::Verified, {}},
            {VerifyState::Failed, {}},
        };
        for (int i = 0; i < kinds.size(); ++i)
        {
            BackupEntry e;
            e.profile = profile;
            e.database = profile;
            e.format = u"custom"_s;
            e.sha256 = u"x"_s;
            e.size = 1000 + i;
            e.path = dir.filePath(u"b%1.dump"_s.arg(i));
            QFile f(e.path);
            if (f.open(QIODevice::WriteOnly))
                f.write(QByteArray(e.size, 'x'));
            e.startedAt = QDateTime::currentDateTimeUtc().addDays(-10 + i);
            e.verification = kinds[i].first;
            e.testRestore = kinds[i].second;
            ids << catalog.add(e);
        }
        return {ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]};
    }

    static QList<qint64> idsOf(const QList<BackupEntry> &entries)
    {
        QList<qint64> out;
        for (const BackupEntry &e : entries)
            out << e.id;
        std::sort(out.begin(), out.end());
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("DBOPS_HOME", m_home.path().toUtf8()); // the trash and the store, also the CLI's
        qputenv("DBOPS_KEYCHAIN", "off");
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open().has_value());
    }

    /// Keep the last 1: the newest stays by count, the newest verified and the test-restored one
    /// stay by rule; the other three go, to the trash, recorded, and can be put back.
    void neverTheTestRestoredNorTheNewestVerified()
    {
        const QString profile = u"rules"_s;
        const Made m = make(profile);
        BackupCatalog catalog(*m_store);
        catalog.setPolicy({profile, 1, 0, true});
        const QList<BackupEntry> victims = catalog.retentionVictims(profile);
        QCOMPARE(idsOf(victims), (QList<qint64>{m.failedOld, m.verifiedOld, m.unverified}));

        const QMap<qint64, QString> paths = [&] {
            QMap<qint64, QString> p;
            for (const BackupEntry &e : catalog.list(profile))
                p.insert(e.id, e.path);
            return p;
        }();
        const QList<qint64> removed = catalog.applyRetention(profile);
        QCOMPARE(removed.size(), 3);
        QCOMPARE(idsOf(catalog.list(profile)), (QList<qint64>{m.testRestored, m.newestVerified, m.failedNew}));
        for (qint64 id : {m.testRestored, m.newestVerified, m.failedNew})
            QVERIFY(QFileInfo::exists(paths.value(id)));

        // Not deleted: in dbops's trash under the data folder, recorded with where and why.
        const QList<TrashedBackup> trash = catalog.trashed(profile);
        QCOMPARE(trash.size(), 3);
        for (const TrashedBackup &t : trash)
        {
            QVERIFY2(!QFileInfo::exists(t.entry.path), qPrintable(t.entry.path));
            QVERIFY2(QFileInfo::exists(t.trashPath), qPrintable(t.trashPath));
            QVERIFY(t.trashPath.startsWith(BackupCatalog::trashDir()));
            QVERIFY(BackupCatalog::trashDir().startsWith(m_home.path()));
            QVERIFY2(t.reason.contains(u"retention"_s), qPrintable(t.reason));
            QCOMPARE(t.entry.path, paths.value(t.entry.id));
        }
        // Audited once, naming what went where.
        const auto audit = AuditLog(*m_store).recent(5);
        QVERIFY(audit.has_value() && !audit->isEmpty());
        QCOMPARE(audit->first().action, u"retention"_s);
        QVERIFY2(audit->first().details.contains(u"backup %1"_s.arg(m.unverified)), qPrintable(audit->first().details));

        // Put back: same id, same file, same verification.
        const BackupEntry back = catalog.untrash(m.verifiedOld);
        QCOMPARE(back.id, m.verifiedOld);
        QVERIFY(back.verification == VerifyState::Verified);
        QVERIFY(QFileInfo::exists(paths.value(m.verifiedOld)));
        QCOMPARE(catalog.trashed(profile).size(), 2);
        QCOMPARE(catalog.list(profile).size(), 4);
    }

    /// The only verified backup is the newest verified one: an age rule never takes it.
    void theOnlyVerifiedStaysUnderAnAgeRule()
    {
        QList<BackupEntry> all;
        for (int i = 0; i < 3; ++i)
        {
            BackupEntry e;
            e.id = 10 - i; // newest first
            e.startedAt = QDateTime::currentDateTimeUtc().addDays(-30 - i);
            e.verification = i == 2 ? VerifyState::Verified : VerifyState::Failed;
            all << e;
        }
        BackupPolicy p;
        p.keepDays = 7;
        QCOMPARE(idsOf(retentionVictims(all, p, QDateTime::currentDateTimeUtc())), (QList<qint64>{9, 10}));
        p.keepDays = 0;
        QVERIFY(retentionVictims(all, p, QDateTime::currentDateTimeUtc()).isEmpty()); // no rule: nothing
    }

    /// The preview is what the change removes; without accepting it nothing is written; accepted,
    /// exactly those go, at once.
    void previewIsWhatTheChangeRemoves()
    {
        const QString profile = u"preview"_s;
        const Made m = make(profile);
        ops::BackupPolicyChange change;
        change.profile = profile;
        change.keepLast = 3;
        const ops::RetentionPreview preview = ops::retentionPreview(*m_store, nullptr, change);
        QCOMPARE(idsOf(preview.victims), (QList<qint64>{m.failedOld, m.verifiedOld}));
        BackupPolicy proposed = BackupCatalog(*m_store).policy(profile);
        proposed.keepLast = 3;
        QCOMPARE(idsOf(preview.victims),
                 idsOf(retentionVictims(BackupCatalog(*m_store).list(profile), proposed, QDateTime::currentDateTimeUtc())));
        QVERIFY2(preview.text.contains(u"#%1 of "_s.arg(m.verifiedOld)) && preview.text.contains(u"verified"_s), qPrintable(preview.text));

        // Declined (nothing accepted): refused, nothing written, nothing moved.
        try
        {
            ops::setPolicy(*m_store, nullptr, change);
            QFAIL("a retention change that removes backups was saved without being accepted");
        }
        catch (const Exception &e)
        {
            QCOMPARE(e.error().code, ErrorCode::Usage);
            QVERIFY2(e.error().message.contains(u"#%1"_s.arg(m.failedOld)), qPrintable(e.error().message));
        }
        QCOMPARE(BackupCatalog(*m_store).policy(profile).keepLast, 0);
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 6);

        // Accepted only in part: refused too.
        change.acceptRemovals = {m.failedOld};
        QVERIFY_THROWS_EXCEPTION(Exception, ops::setPolicy(*m_store, nullptr, change));
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 6);

        change.acceptRemovals = preview.ids();
        const ops::BackupPolicyView v = ops::setPolicy(*m_store, nullptr, change);
        QCOMPARE(v.policy.keepLast, 3);
        QCOMPARE(v.removed.size(), 2);
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 4);
        QCOMPARE(BackupCatalog(*m_store).trashed(profile).size(), 2);
    }

    /// `dbops backups policy` shows the same preview and removes nothing without a yes (exit 2);
    /// with --yes it moves them and says where. `dbops backups remove ID` needs a yes too.
    void cliAsksBeforeRemoving()
    {
        const QString profile = u"clirules"_s;
        const Made m = make(profile);
        const CliOptions opts{.env = {}, .home = m_home.path(), .timeoutMs = 120000, .closedStdin = true};
        CliResult r = runCli({u"backups"_s, u"policy"_s, u"--profile"_s, profile, u"--keep-last"_s, u"1"_s}, opts);
        QVERIFY2(r.exitCode == 2, qPrintable(r.both()));
        QVERIFY2(r.err.contains(u"#%1 of "_s.arg(m.unverified)) && r.err.contains(u"--yes"_s), qPrintable(r.both()));
        QCOMPARE(BackupCatalog(*m_store).policy(profile).keepLast, 0);
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 6);

        r = runCli({u"backups"_s, u"policy"_s, u"--profile"_s, profile, u"--keep-last"_s, u"1"_s, u"--yes"_s, u"--json"_s}, opts);
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QCOMPARE(r.json().value(u"retention_removed"_s).toArray().size(), 3);
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 3);
        QCOMPARE(idsOf(BackupCatalog(*m_store).list(profile)), (QList<qint64>{m.testRestored, m.newestVerified, m.failedNew}));

        r = runCli({u"backups"_s, u"remove"_s, QString::number(m.failedNew)}, opts);
        QVERIFY2(r.exitCode == 2, qPrintable(r.both()));
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 3);
        r = runCli({u"backups"_s, u"remove"_s, QString::number(m.failedNew), u"--yes"_s}, opts);
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 2);
        r = runCli({u"backups"_s, u"untrash"_s, QString::number(m.failedNew)}, opts);
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QCOMPARE(BackupCatalog(*m_store).list(profile).size(), 3);
        r = runCli({u"backups"_s, u"remove"_s, u"999999"_s, u"--yes"_s}, opts);
        QCOMPARE(r.exitCode, 2); // an unknown id: NotFound, exit 2
    }
};

QTEST_GUILESS_MAIN(TestRetentionRules)
#include "test_retention_rules.moc"
