// The backup operations (core/ops/backupops.h) against the real server with real pg_dump /
// pg_restore: a backup that did not verify is a failed job, a replace restore needs the typed
// name (and leaves the target untouched without it), the audit records, removeBackup, the policy.
#include "core/backup/backupcatalog.h"
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/backupops.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/pgfixture.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    ConnectionProfile profileFor(const ConnectParams &params, Environment env = Environment::Development)
    {
        return test::profileFor(u"ops-"_s + params.value(u"dbname"_s), env, params);
    }

    int count(const ConnectParams &db, const QString &table)
    {
        return PgFixture::connect(db)->exec(u"SELECT count(*) FROM "_s + table).value(0, 0).toInt();
    }
} // namespace

class TestBackupOps final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;

    ops::Target target(const ConnectionProfile &profile) const { return {profile, {}, m_store.get(), m_profiles.get()}; }

    /// The newest audit entry (the store lists newest first).
    AuditEntry lastAudit() const
    {
        const auto recent = AuditLog(*m_store).recent(1);
        if (!recent || recent->isEmpty())
            return {};
        return recent->first();
    }
    qsizetype auditCount() const { return AuditLog(*m_store).recent(100000).value_or(QList<AuditEntry>{}).size(); }

    template <class T, class F>
    JobOutcome<T> run(const QString &title, F &&body)
    {
        return m_jobs->run(makeJob<T>(title, std::forward<F>(body)));
    }

    /// A database with `rows` rows in orders, and its verified backup.
    std::pair<ConnectParams, BackupEntry> backedUp(const QString &prefix, int rows, Environment env = Environment::Development)
    {
        const ConnectParams db = PgFixture::newDatabase(prefix);
        PgFixture::connect(db)->exec(
            u"CREATE TABLE orders(id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, %1)"_s.arg(rows));
        const ops::Target t = target(profileFor(db, env));
        const auto outcome = run<BackupEntry>(u"backup"_s, [t](JobContext &jc) { return ops::backup(t, BackupRequest{}, jc); });
        if (outcome.error)
            qWarning() << outcome.error->toString();
        return {db, outcome.value.value_or(BackupEntry{})};
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
    }

    /// A backup is verified and audited once; a verify of an archive that no longer matches its
    /// SHA-256 returns the entry as Failed and is a FAILED job (it used to say "done" in the console).
    void nonVerifiedBackupIsAFailedJob()
    {
        const auto before = auditCount();
        auto [db, entry] = backedUp(u"ops_verify"_s, 50);
        QVERIFY(entry.id > 0);
        QVERIFY(entry.verification == VerifyState::Verified);
        QVERIFY(!jobFailure(entry).has_value());
        QCOMPARE(auditCount(), before + 1);
        const AuditEntry a = lastAudit();
        QCOMPARE(a.action, u"backup"_s);
        QCOMPARE(a.profile, profileFor(db).name);
        QCOMPARE(a.environment, u"development"_s);
        QCOMPARE(a.target, db.value(u"dbname"_s));
        QCOMPARE(a.details, u"backup %1 → %2 (verified)"_s.arg(entry.id).arg(entry.path));
        QCOMPARE(a.outcome, u"ok"_s);

        // Verify as it is: a succeeded job.
        Store *store = m_store.get();
        const qint64 id = entry.id;
        auto ok = run<BackupEntry>(u"verify"_s, [store, id](JobContext &jc) { return ops::verify(*store, id, jc); });
        QVERIFY2(!ok.error, qPrintable(ok.error ? ok.error->toString() : QString()));
        QVERIFY(ok.value->verification == VerifyState::Verified);

        // One byte changed: the job fails, its value says Failed and why, the catalog says so too.
        QFile f(entry.path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        const char c = f.peek(1).at(0);
        f.write(QByteArray(1, char(c ^ 0x5a)));
        f.close();
        auto bad = run<BackupEntry>(u"verify"_s, [store, id](JobContext &jc) { return ops::verify(*store, id, jc); });
        QVERIFY(bad.error.has_value());
        QCOMPARE(bad.error->code, ErrorCode::OperationFailed);
        QVERIFY2(bad.error->message.contains(u"failed verification"_s) && bad.error->message.contains(u"SHA-256"_s),
                 qPrintable(bad.error->message));
        QVERIFY(bad.value.has_value());
        QVERIFY(bad.value->verification == VerifyState::Failed);
        QVERIFY(BackupCatalog(*m_store).get(id).verification == VerifyState::Failed);
        // An entry that was never verified is no success either.
        BackupEntry unverified;
        unverified.id = 7;
        QVERIFY(jobFailure(unverified).has_value());
    }

    /// Replacing a database needs its name typed, in every environment and in the operation (not
    /// the face): without it (or with a wrong one) Usage, the database is untouched, no safety
    /// backup, no side database, and the refusal is audited with the exact record.
    void replaceRestoreRefusedWithoutTheTypedName()
    {
        for (const Environment env : {Environment::Development, Environment::Production})
        {
            auto [db, entry] = backedUp(u"ops_replace"_s, 40, env);
            QVERIFY(entry.id > 0);
            const QString name = db.value(u"dbname"_s);
            PgFixture::connect(db)->exec(u"INSERT INTO orders SELECT generate_series(41, 45)"_s); // differs from the archive
            const ConnectionProfile profile = profileFor(db, env);
            const ops::Target t = target(profile);
            const int backups = int(BackupCatalog(*m_store).list().size());
            const int restores = int(BackupCatalog(*m_store).restores().size());
            for (const QString &typed : {QString(), name.left(name.size() - 1)})
            {
                RestoreRequest request;
                request.backupId = entry.id;
                request.replaceDatabase = name;
                request.confirm = name; // what a face put there is not the confirmation
                const auto before = auditCount();
                auto r = run<RestoreResult>(
                    u"restore"_s, [t, request, typed](JobContext &jc) { return ops::restore(t, request, ops::Confirmation{typed}, jc); });
                QVERIFY(r.error.has_value());
                QCOMPARE(r.error->code, ErrorCode::Usage);
                QVERIFY2(r.error->message.contains(u"nothing was changed"_s), qPrintable(r.error->message));
                QCOMPARE(count(db, u"orders"_s), 45);
                QCOMPARE(int(BackupCatalog(*m_store).list().size()), backups); // no safety backup
                QCOMPARE(int(BackupCatalog(*m_store).restores().size()), restores);
                QCOMPARE(auditCount(), before + 1);
                const AuditEntry a = lastAudit();
                QCOMPARE(a.action, u"restore"_s);
                QCOMPARE(a.profile, profile.name);
                QCOMPARE(a.environment, toString(env));
                QCOMPARE(a.target, name);
                QCOMPARE(a.details, u"replace from %1 (backup %2)"_s.arg(entry.path).arg(entry.id));
                QCOMPARE(a.outcome, r.error->toString());
            }
            auto conn = PgFixture::connect(PgFixture::sandbox().connectParams());
            QCOMPARE(conn->exec(u"SELECT count(*) FROM pg_database WHERE datname LIKE $1"_s, {QVariant(name + u"_dbops_%"_s)})
                         .value(0, 0)
                         .toInt(),
                     0);
        }
    }

    /// With the typed name the replace runs (safety backup first) and the audit says ok; a new
    /// database needs no typed name. Both audited once by the one restore path.
    void restoreRunsWithTheTypedNameAndIsAudited()
    {
        auto [db, entry] = backedUp(u"ops_restore"_s, 30);
        QVERIFY(entry.id > 0);
        const QString name = db.value(u"dbname"_s);
        PgFixture::connect(db)->exec(u"DELETE FROM orders WHERE id > 10"_s);
        const ops::Target t = target(profileFor(db));
        RestoreRequest replace;
        replace.backupId = entry.id;
        replace.replaceDatabase = name;
        auto before = auditCount();
        auto r = run<RestoreResult>(u"restore"_s,
                                    [t, replace, name](JobContext &jc) { return ops::restore(t, replace, ops::Confirmation{name}, jc); });
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->toString() : QString()));
        QCOMPARE(r.value->mode, u"replace"_s);
        QVERIFY(r.value->safetyBackupId > 0);
        QCOMPARE(count(db, u"orders"_s), 30);
        // The safety backup's audit entry, then the restore's.
        QCOMPARE(auditCount(), before + 2);
        AuditEntry a = lastAudit();
        QCOMPARE(a.action, u"restore"_s);
        QCOMPARE(a.target, name);
        QCOMPARE(a.details, u"replace from %1 (backup %2)"_s.arg(entry.path).arg(entry.id));
        QCOMPARE(a.outcome, u"ok"_s);

        RestoreRequest into;
        into.backupId = entry.id;
        into.newDatabase = name + u"_copy"_s;
        before = auditCount();
        r = run<RestoreResult>(u"restore"_s, [t, into](JobContext &jc) { return ops::restore(t, into, {}, jc); });
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->toString() : QString()));
        QVERIFY(databaseExists(into.newDatabase));
        QCOMPARE(auditCount(), before + 1);
        a = lastAudit();
        QCOMPARE(a.target, into.newDatabase);
        QCOMPARE(a.details, u"new from %1 (backup %2)"_s.arg(entry.path).arg(entry.id));
        QCOMPARE(a.outcome, u"ok"_s);
    }

    /// removeBackup: the archive leaves first, then the catalog row; audited exactly. An unknown id
    /// is NotFound and writes nothing.
    void removeBackupMovesTheArchiveThenTheRow()
    {
        auto [db, entry] = backedUp(u"ops_remove"_s, 5);
        QVERIFY(entry.id > 0);
        QVERIFY(QFileInfo::exists(entry.path));
        const ops::Target t = target(profileFor(db));
        const qint64 id = entry.id;
        auto before = auditCount();
        auto r = m_jobs->run(makeJob<bool>(u"delete"_s, [t, id](JobContext &jc) {
            ops::removeBackup(t, id, jc);
            return true;
        }));
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->toString() : QString()));
        QVERIFY(!QFileInfo::exists(entry.path));
        QVERIFY_THROWS_EXCEPTION(Exception, BackupCatalog(*m_store).get(id));
        QCOMPARE(auditCount(), before + 1);
        const AuditEntry a = lastAudit();
        QCOMPARE(a.action, u"delete-backup"_s);
        QCOMPARE(a.target, entry.path);
        QCOMPARE(a.details, u"backup %1 of %2 (%3, verified, manual)"_s.arg(id).arg(entry.database, formatBytes(entry.size)));
        QCOMPARE(a.outcome, u"ok"_s);

        before = auditCount();
        r = m_jobs->run(makeJob<bool>(u"delete"_s, [t, id](JobContext &jc) {
            ops::removeBackup(t, id, jc);
            return true;
        }));
        QVERIFY(r.error.has_value());
        QCOMPARE(r.error->code, ErrorCode::NotFound);
        QCOMPARE(auditCount(), before);
    }

    /// setPolicy checks every value before it writes; the text says what the rule will do.
    void policyIsValidatedAndDescribedInOnePlace()
    {
        const ConnectParams db = PgFixture::newDatabase(u"ops_policy"_s);
        ConnectionProfile staging = profileFor(db, Environment::Staging);
        QVERIFY(m_profiles->save(staging).has_value());
        ConnectionProfile prod = profileFor(db, Environment::Production);
        prod.name += u"-prod"_s;
        QVERIFY(m_profiles->save(prod).has_value());

        ops::BackupPolicyView v = ops::policy(*m_store, m_profiles.get(), staging.name);
        QVERIFY(!v.preChangeBackupOn); // outside production: off by default
        QVERIFY2(v.text.contains(u"pre-change backup off (the default outside production"_s), qPrintable(v.text));
        QVERIFY(ops::policy(*m_store, m_profiles.get(), prod.name).preChangeBackupOn); // production: on by default

        ops::BackupPolicyChange change;
        change.profile = staging.name;
        change.keepLast = 3;
        change.keepDays = -1;
        QVERIFY_THROWS_EXCEPTION(Exception, ops::setPolicy(*m_store, m_profiles.get(), change));
        QCOMPARE(BackupCatalog(*m_store).policy(staging.name).keepLast, 0); // nothing written
        change.keepDays = std::nullopt;
        change.preChangeBackup = true;
        v = ops::setPolicy(*m_store, m_profiles.get(), change);
        QCOMPARE(v.policy.keepLast, 3);
        QVERIFY(v.preChangeBackupOn);
        QCOMPARE(v.text, u"policy of %1: keep last 3, keep days 0, pre-change backup on, reuse a verified backup up to 15 min old"_s.arg(
                             staging.name));
        QCOMPARE(BackupCatalog(*m_store).policy(staging.name).keepLast, 3);

        ops::BackupPolicyChange off;
        off.profile = prod.name;
        off.preChangeBackup = false;
        v = ops::setPolicy(*m_store, m_profiles.get(), off);
        QVERIFY(!v.preChangeBackupOn);
        QVERIFY(!BackupCatalog(*m_store).policy(prod.name).preMigrationBackup);

        ops::BackupPolicyChange unknown;
        unknown.profile = u"no-such-profile"_s;
        unknown.keepLast = 1;
        try
        {
            ops::setPolicy(*m_store, m_profiles.get(), unknown);
            QFAIL("an unknown profile was accepted");
        }
        catch (const Exception &e)
        {
            QCOMPARE(e.error().code, ErrorCode::NotFound);
        }
    }
};

QTEST_GUILESS_MAIN(TestBackupOps)
#include "test_backup_ops.moc"
