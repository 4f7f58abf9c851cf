// Applying a diff's SQL (core/ops/schemaapply.h, issue 14) against a real PostgreSQL 15: one
// transaction, a failure that names the statement and leaves nothing changed, production's typed
// name and verified backup first (its id recorded), the online plan step by step, an edited
// script, a least-privileged role, and one audit entry per apply with the full SQL.
#include "core/db/pgconnection.h"
#include "core/ops/schemaapply.h"
#include "core/ops/schemaops.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/selection.h"
#include "core/schema/shadow.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/pgfixture.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    template <class T, class F>
    std::unique_ptr<TypedJob<T>> runJob(F &&body)
    {
        std::unique_ptr<TypedJob<T>> job(makeJob<T>(u"op"_s, std::forward<F>(body)));
        job->run();
        return job;
    }

    schema::Snapshot snapshotOf(const ConnectParams &params)
    {
        auto conn = PgConnection::open(params);
        auto s = schema::snapshotPostgres(*conn, {});
        if (!s)
            throw Exception(s.error());
        schema::removeHistoryTables(*s);
        return *s;
    }
}

class TestSchemaApply final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    int m_counter = 0;

    QList<AuditEntry> audit()
    {
        auto recent = AuditLog(*m_store).recent(100);
        return recent ? *recent : QList<AuditEntry>{};
    }

    int backups()
    {
        QSqlQuery q(m_store->database());
        return q.exec(u"SELECT count(*) FROM backups WHERE verified_at IS NOT NULL"_s) && q.next() ? q.value(0).toInt() : -1;
    }

    /// The comparison of two fresh databases loaded with the two scripts (A: from, B: to).
    ops::Comparison compare(const ConnectParams &a, const ConnectParams &b, const QString &aSql, const QString &bSql)
    {
        PgFixture::connect(a)->exec(aSql);
        PgFixture::connect(b)->exec(bSql);
        ops::CompareRequest r{snapshotOf(a), snapshotOf(b), u"A"_s, u"B"_s, {}};
        auto job = runJob<ops::Comparison>([&](JobContext &jc) { return ops::compareSnapshots(r, jc); });
        if (job->state() != JobState::Succeeded)
            throw Exception(job->error());
        return *job->value();
    }

    ops::SchemaApplyRequest request(const ConnectionProfile &p, const QString &script, const QString &typed = {})
    {
        ops::SchemaApplyRequest r;
        r.target = {p, {}, m_store.get(), m_profiles.get()};
        r.script = script;
        r.comparedWith = u"B"_s;
        r.confirmation.typed = typed;
        return r;
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        qputenv("DBOPS_HOME", m_home.path().toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
    }

    void init()
    {
        m_store = std::make_unique<Store>(m_home.filePath(u"store-%1.sqlite"_s.arg(++m_counter)));
        QVERIFY(m_store->open().has_value());
        m_profiles = std::make_unique<ProfileStore>(*m_store);
    }

    void cleanup()
    {
        m_profiles.reset();
        m_store.reset();
    }

    void appliesInOneTransactionAndTheDriftIsGone()
    {
        const ConnectParams a = PgFixture::newDatabase(u"apa"_s), b = PgFixture::newDatabase(u"apb"_s);
        const ops::Comparison c =
            compare(a, b, u"CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE gone (x int);"_s,
                    u"CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL DEFAULT ''); CREATE VIEW v AS SELECT name FROM t;"_s);
        QCOMPARE(c.outcome.diff.changes.size(), 3);
        auto plan = ops::planFor(c, std::nullopt, false);
        QVERIFY2(plan.has_value(), qPrintable(plan ? QString() : plan.error().toString()));
        const ConnectionProfile p = profileFor(u"dev"_s, Environment::Development, a);
        ops::SchemaApplyRequest r = request(p, plan->script(u"A"_s, u"B"_s));
        r.plan = *plan;
        auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        const ops::SchemaApplyResult result = *job->value();
        QCOMPARE(result.steps.size(), 1);
        QVERIFY(result.steps.first().committed && result.steps.first().inTransaction);
        QCOMPARE(result.statementsRun, int(plan->statements().size()));
        QVERIFY(result.backupId.isEmpty()); // development: no pre-change backup by default
        QCOMPARE(backups(), 0);
        auto again = schema::diff(snapshotOf(a), snapshotOf(b));
        QVERIFY(again && again->isEmpty());
        // One audit entry, with the full SQL and the outcome.
        const QList<AuditEntry> entries = audit();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().action, u"diff-apply"_s);
        QCOMPARE(entries.first().outcome, u"ok"_s);
        QVERIFY2(entries.first().details.contains(u"DROP TABLE IF EXISTS public.gone;"_s), qPrintable(entries.first().details));
        QVERIFY(entries.first().details.contains(u"makes it match B"_s));
    }

    void aFailingStatementIsNamedAndNothingChanges()
    {
        const ConnectParams a = PgFixture::newDatabase(u"apf"_s);
        PgFixture::connect(a)->exec(u"CREATE TABLE t (id int)"_s);
        const ConnectionProfile p = profileFor(u"dev"_s, Environment::Development, a);
        const QString script = u"ALTER TABLE t ADD COLUMN a int;\n-- the second fails\nALTER TABLE nope ADD COLUMN b int;\n"_s;
        ops::SchemaApplyRequest r = request(p, script);
        r.edited = true;
        auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
        QCOMPARE(int(job->state()), int(JobState::Failed)); // a result that carries a failure is a failed job
        const QString message = job->error().message;
        QVERIFY2(message.contains(u"statement 2 of 2, line 3 (ALTER TABLE nope ADD COLUMN b int;)"_s), qPrintable(message));
        QVERIFY2(message.contains(u"relation \"nope\" does not exist"_s), qPrintable(message));
        QVERIFY2(message.endsWith(u"nothing was changed"_s), qPrintable(message));
        QVERIFY(job->value() && job->value()->committedSteps() == 0);
        auto conn = PgFixture::connect(a);
        QCOMPARE(conn->exec(u"SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 't' AND column_name = 'a'"_s)
                     .text(0, u"n"_s),
                 u"0"_s);
        const AuditEntry last = audit().first();
        QCOMPARE(last.action, u"diff-apply"_s);
        QCOMPARE(last.outcome, job->error().toString());
        QVERIFY(last.details.contains(u"(edited by the person)"_s));
        QVERIFY(last.details.contains(u"ALTER TABLE nope ADD COLUMN b int;"_s));
    }

    void badScriptsAreRefusedBeforeConnecting()
    {
        ConnectParams unreachable;
        unreachable.set(u"host"_s, u"/nonexistent"_s);
        unreachable.set(u"dbname"_s, u"x"_s);
        const ConnectionProfile nowhere = profileFor(u"dev"_s, Environment::Development, unreachable);
        for (const QString &script : {u"-- only a comment\n"_s, u"BEGIN; CREATE TABLE x (a int); COMMIT;"_s, u"CREATE TABLE (;"_s})
        {
            ops::SchemaApplyRequest r = request(nowhere, script);
            r.edited = true;
            auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
            QCOMPARE(int(job->state()), int(JobState::Failed));
            QVERIFY2(job->error().code == ErrorCode::BadInput, qPrintable(script + u": "_s + job->error().toString()));
        }
        QVERIFY(audit().isEmpty()); // nothing was attempted
    }

    void productionNeedsTheNameAndTakesAVerifiedBackupFirst()
    {
        const ConnectParams a = PgFixture::newDatabase(u"approd"_s);
        PgFixture::connect(a)->exec(u"CREATE TABLE t (id int)"_s);
        auto saved = m_profiles->save(profileFor(u"prod"_s, Environment::Production, a));
        QVERIFY(saved.has_value());
        const QString script = u"ALTER TABLE t ADD COLUMN a int;"_s;
        for (const QString &typed : {QString(), u"wrong"_s})
        {
            ops::SchemaApplyRequest r = request(*saved, script, typed);
            auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
            QCOMPARE(int(job->state()), int(JobState::Failed));
            QCOMPARE(int(job->error().code), int(ErrorCode::Usage));
            QVERIFY2(job->error().message.endsWith(u"nothing was changed"_s), qPrintable(job->error().message));
        }
        QCOMPARE(backups(), 0);
        ops::SchemaApplyRequest r = request(*saved, script, a.value(u"dbname"_s));
        auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        QVERIFY(r.preChange->backupId > 0);
        QCOMPARE(job->value()->backupId, QString::number(r.preChange->backupId));
        QCOMPARE(backups(), 1);
        const AuditEntry last = audit().first();
        QCOMPARE(last.action, u"diff-apply"_s);
        QCOMPARE(last.environment, u"production"_s);
        QCOMPARE(last.outcome, u"ok"_s);
        QVERIFY2(last.details.contains(u"pre-change backup #%1"_s.arg(r.preChange->backupId)), qPrintable(last.details));
    }

    void theOnlinePlanRunsStepByStep()
    {
        const ConnectParams a = PgFixture::newDatabase(u"apon"_s), b = PgFixture::newDatabase(u"apob"_s);
        const ops::Comparison c = compare(a, b, u"CREATE TABLE t (id int, name text);"_s,
                                          u"CREATE TABLE t (id int, name text); CREATE INDEX t_name ON t (name);"_s);
        auto plan = ops::planFor(c, std::nullopt, true);
        QVERIFY(plan.has_value());
        QVERIFY2(plan->steps.size() >= 1, qPrintable(plan->script(u"A"_s, u"B"_s)));
        const ConnectionProfile p = profileFor(u"dev"_s, Environment::Development, a);
        ops::SchemaApplyRequest r = request(p, plan->script(u"A"_s, u"B"_s));
        r.plan = *plan;
        auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        const QList<ops::AppliedStep> steps = job->value()->steps;
        QVERIFY(std::any_of(steps.cbegin(), steps.cend(), [](const ops::AppliedStep &s) { return !s.inTransaction && s.committed; }));
        auto again = schema::diff(snapshotOf(a), snapshotOf(b));
        QVERIFY(again && again->isEmpty());
        // Edited, the same CONCURRENTLY statement runs alone, outside a transaction.
        const ConnectParams e = PgFixture::newDatabase(u"aped"_s);
        PgFixture::connect(e)->exec(u"CREATE TABLE t (id int, name text);"_s);
        ops::SchemaApplyRequest edited =
            request(profileFor(u"dev"_s, Environment::Development, e),
                    u"ALTER TABLE t ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY t_x ON t (x);\nCOMMENT ON TABLE t IS 'x';\n"_s);
        edited.edited = true;
        auto ran = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(edited, jc); });
        QVERIFY2(ran->state() == JobState::Succeeded, qPrintable(ran->error().toString()));
        QCOMPARE(ran->value()->steps.size(), 3);
        QVERIFY(!ran->value()->steps[1].inTransaction);
    }

    void aLeastPrivilegedRoleGetsTheServersReason()
    {
        const ConnectParams a = PgFixture::newDatabase(u"aplp"_s);
        auto admin = PgFixture::connect(a);
        admin->exec(u"CREATE TABLE t (id int)"_s);
        const QString role = newRole(*admin, u"aprole"_s, u"pw-aprole"_s);
        admin->exec(u"GRANT CONNECT ON DATABASE %1 TO %2"_s.arg(a.value(u"dbname"_s), role));
        ConnectParams asRole = a;
        asRole.set(u"user"_s, role);
        ops::SchemaApplyRequest r =
            request(profileFor(u"dev"_s, Environment::Development, asRole), u"ALTER TABLE public.t ADD COLUMN a int;"_s);
        r.target.password = u"pw-aprole"_s;
        auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
        QCOMPARE(int(job->state()), int(JobState::Failed));
        QVERIFY2(job->error().message.contains(u"must be owner of table t"_s), qPrintable(job->error().message));
        QVERIFY(!job->error().message.contains(u"pw-aprole"_s));
        QVERIFY(!audit().first().details.contains(u"pw-aprole"_s));
    }

    void aChosenChangePullsInWhatItNeeds()
    {
        const ConnectParams a = PgFixture::newDatabase(u"apsa"_s), b = PgFixture::newDatabase(u"apsb"_s);
        const ops::Comparison c = compare(a, b, u"CREATE TABLE keep (id int);"_s,
                                          u"CREATE TABLE keep (id int); CREATE SCHEMA s; CREATE TABLE s.p (id int PRIMARY KEY);"
                                          "CREATE TABLE s.c (id int, p int REFERENCES s.p); CREATE VIEW s.v AS SELECT id FROM s.c;"_s);
        const QList<QList<int>> needs = c.needs();
        const auto indexOf = [&](const QString &object) {
            for (int i = 0; i < c.outcome.diff.changes.size(); ++i)
                if (c.outcome.diff.changes[i].object == object)
                    return i;
            return -1;
        };
        const int view = indexOf(u"s.v"_s), child = indexOf(u"s.c"_s), parent = indexOf(u"s.p"_s), schemaS = indexOf(u"s"_s);
        QVERIFY(view >= 0 && child >= 0 && parent >= 0 && schemaS >= 0);
        const QSet<int> closure = schema::neededClosure(needs, {view});
        QVERIFY(closure.contains(child) && closure.contains(schemaS));
        // Unchecking the schema: everything in it that is chosen must go too.
        QSet<int> all;
        for (int i = 0; i < c.outcome.diff.changes.size(); ++i)
            all.insert(i);
        const QSet<int> dependents = schema::chosenDependents(needs, all, schemaS);
        QVERIFY(dependents.contains(view) && dependents.contains(child) && dependents.contains(parent));
        // The view with what it needs applies, and adds no more than that.
        auto plan = ops::planFor(c, closure, false);
        QVERIFY(plan.has_value());
        ops::SchemaApplyRequest r = request(profileFor(u"dev"_s, Environment::Development, a), plan->script(u"A"_s, u"B"_s));
        r.plan = *plan;
        auto job = runJob<ops::SchemaApplyResult>([&](JobContext &jc) { return ops::applySchemaScript(r, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        auto conn = PgFixture::connect(a);
        QVERIFY(tableExists(*conn, u"s.v"_s) || conn->exec(u"SELECT to_regclass('s.v')::text AS x"_s).text(0, u"x"_s) == u"s.v"_s);
    }
};

QTEST_GUILESS_MAIN(TestSchemaApply)
#include "test_schema_apply.moc"
