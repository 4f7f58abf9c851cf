// Cancel and terminate as operations (core/ops/lockops.h) against real sessions: the production
// rule (the typed pid) is checked in core, nothing is sent without it, every outcome is audited,
// and a server refusal is a failed job.
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/lockops.h"
#include "core/store/auditlog.h"
#include "core/store/store.h"
#include "tests/support/sessions.h"
#include "tests/support/pgfixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    ConnectionProfile profileFor(const ConnectParams &params, Environment env)
    {
        return test::profileFor(u"lockops-"_s + params.value(u"dbname"_s), env, params);
    }
} // namespace

class TestLockOps final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<JobManager> m_jobs;

    AuditEntry lastAudit() const
    {
        const auto recent = AuditLog(*m_store).recent(1);
        return recent && !recent->isEmpty() ? recent->first() : AuditEntry{};
    }
    qsizetype auditCount() const { return AuditLog(*m_store).recent(100000).value_or(QList<AuditEntry>{}).size(); }

    JobOutcome<SignalResult> signal(const ops::Target &t, int pid, BackendSignal s, const QString &typed)
    {
        return m_jobs->run(makeJob<SignalResult>(
            u"signal"_s, [t, pid, s, typed](JobContext &jc) { return ops::signalBackend(t, pid, s, ops::Confirmation{typed}, jc); }));
    }

    static bool stillRunning(PgConnection &admin, int pid)
    {
        return admin.exec(u"SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active'"_s, {pid}).value(0, 0).toInt() == 1;
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        m_store = std::make_unique<Store>(m_dir.filePath(u"store.sqlite"_s));
        QVERIFY(m_store->open().has_value());
        m_jobs = std::make_unique<JobManager>();
    }

    /// Production: without the typed pid (or with another number) the operation refuses with
    /// Usage, nothing is sent (the query keeps running), and the refusal is audited with who it
    /// was for. With the pid typed, the cancel goes out and the audit says ok.
    void productionSignalNeedsTheTypedPid()
    {
        const ConnectParams db = PgFixture::newDatabase(u"lockops_prod"_s);
        auto admin = PgFixture::connect(db);
        SessionThread victim(db, u"victim-app"_s, {u"SELECT pg_sleep(600)"_s});
        const int pid = victim.pid();
        QTRY_VERIFY_WITH_TIMEOUT(stillRunning(*admin, pid), 60000);
        const ConnectionProfile profile = profileFor(db, Environment::Production);
        const ops::Target t{profile, {}, m_store.get(), nullptr};
        const QString on = u"pid %1 on %2"_s.arg(pid).arg(profile.targetDescription());
        const QString details = u"postgres@%1 (victim-app): SELECT pg_sleep(600)"_s.arg(db.value(u"dbname"_s));

        for (const QString &typed : {QString(), QString::number(pid + 1)})
        {
            const auto before = auditCount();
            const auto r = signal(t, pid, BackendSignal::Cancel, typed);
            QVERIFY(r.error.has_value());
            QCOMPARE(r.error->code, ErrorCode::Usage);
            QVERIFY2(r.error->message.contains(u"not confirmed"_s) && r.error->message.contains(u"nothing was changed"_s),
                     qPrintable(r.error->message));
            QVERIFY(!r.value.has_value());
            QVERIFY(stillRunning(*admin, pid)); // nothing was sent
            QVERIFY(!victim.isFinished());
            QCOMPARE(auditCount(), before + 1);
            const AuditEntry a = lastAudit();
            QCOMPARE(a.action, u"cancel"_s);
            QCOMPARE(a.profile, profile.name);
            QCOMPARE(a.environment, u"production"_s);
            QCOMPARE(a.target, on);
            QCOMPARE(a.details, details);
            QCOMPARE(a.outcome, r.error->toString());
        }

        const auto before = auditCount();
        const auto r = signal(t, pid, BackendSignal::Cancel, QString::number(pid));
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->toString() : QString()));
        QVERIFY(r.value->sent);
        QVERIFY(victim.wait(60000));
        QCOMPARE(victim.error().sqlstate, u"57014"_s);
        QCOMPARE(auditCount(), before + 1);
        const AuditEntry a = lastAudit();
        QCOMPARE(a.target, on);
        QCOMPARE(a.details, details);
        QCOMPARE(a.outcome, u"ok"_s);
    }

    /// A pid that is gone: NotFound, audited; a pid <= 0 is bad input and not audited.
    void goneIsNotFoundAndAudited()
    {
        const ConnectParams db = PgFixture::newDatabase(u"lockops_gone"_s);
        const ops::Target t{profileFor(db, Environment::Development), {}, m_store.get(), nullptr};
        auto before = auditCount();
        auto r = signal(t, 999999, BackendSignal::Terminate, {});
        QVERIFY(r.error.has_value());
        QCOMPARE(r.error->code, ErrorCode::NotFound);
        QCOMPARE(auditCount(), before + 1);
        QCOMPARE(lastAudit().action, u"terminate"_s);
        QCOMPARE(lastAudit().outcome, r.error->toString());
        before = auditCount();
        r = signal(t, 0, BackendSignal::Terminate, {});
        QCOMPARE(r.error->code, ErrorCode::Usage);
        QCOMPARE(auditCount(), before);
        // session(): NotFound when gone.
        auto s = m_jobs->run(makeJob<BackendSession>(u"session"_s, [t](JobContext &jc) { return ops::session(t, 999999, jc); }));
        QCOMPARE(s.error->code, ErrorCode::NotFound);
    }

    /// The server refuses (pg_cancel_backend returns false for the checkpointer, not a client
    /// backend): a FAILED job whose value says not sent, audited "not sent: the server refused".
    /// A role without the right to signal another's backend: the server's error, failed, audited.
    void refusalIsAFailedJob()
    {
        const ConnectParams db = PgFixture::newDatabase(u"lockops_refused"_s);
        auto admin = PgFixture::connect(db);
        const int checkpointer = admin->exec(u"SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'"_s).value(0, 0).toInt();
        QVERIFY(checkpointer > 0);
        const ops::Target t{profileFor(db, Environment::Development), {}, m_store.get(), nullptr};
        auto before = auditCount();
        auto r = signal(t, checkpointer, BackendSignal::Cancel, {});
        QVERIFY(r.error.has_value());
        QCOMPARE(r.error->code, ErrorCode::OperationFailed);
        QVERIFY(r.value.has_value());
        QVERIFY(!r.value->sent);
        QCOMPARE(auditCount(), before + 1);
        QCOMPARE(lastAudit().outcome, u"not sent: the server refused"_s);

        // Least privilege: a plain role may not cancel the superuser's query.
        const QString role = u"lockops_plain_"_s + db.value(u"dbname"_s).right(8);
        admin->exec(u"DROP ROLE IF EXISTS %1"_s.arg(role));
        admin->exec(u"CREATE ROLE %1 LOGIN PASSWORD 'plain-pw'"_s.arg(role));
        SessionThread victim(db, u"su-app"_s, {u"SELECT pg_sleep(600)"_s});
        const int pid = victim.pid();
        QTRY_VERIFY_WITH_TIMEOUT(stillRunning(*admin, pid), 60000);
        ConnectionProfile plain = t.profile;
        plain.user = role;
        before = auditCount();
        r = signal({plain, u"plain-pw"_s, m_store.get(), nullptr}, pid, BackendSignal::Cancel, {});
        QVERIFY(r.error.has_value());
        QVERIFY2(r.error->sqlstate == u"42501"_s, qPrintable(r.error->toString()));
        QVERIFY(stillRunning(*admin, pid));
        QCOMPARE(auditCount(), before + 1);
        QCOMPARE(lastAudit().outcome, r.error->toString());
        // What the plain role may see of the superuser's session (its query is hidden from it).
        QVERIFY2(lastAudit().details.startsWith(u"postgres@%1 (su-app): "_s.arg(db.value(u"dbname"_s))), qPrintable(lastAudit().details));
    }
};

QTEST_GUILESS_MAIN(TestLockOps)
#include "test_lock_ops.moc"
