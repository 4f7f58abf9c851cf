// The migration operations (core/ops/migrateops.h) against a real PostgreSQL: the workflow's
// rules in one place (typed confirmation on production, the pre-change backup, one audit record
// per operation with exact text), adopt of a plain history, RUN_MIGRATIONS, a partly failed migrate as a failed job, and the
// lock probe's one leased connection.
#include "core/db/pgconnection.h"
#include "core/ops/migrateops.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/jobs.h"
#include "tests/support/net.h"
#include "tests/support/pgfixture.h"

#include <QDeadlineTimer>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    /// Runs `body` as the typed job a face starts (on this thread) and returns the finished job.
    template <class T, class F>
    std::unique_ptr<TypedJob<T>> runJob(F &&body)
    {
        std::unique_ptr<TypedJob<T>> job(makeJob<T>(u"op"_s, std::forward<F>(body)));
        job->run();
        return job;
    }
}

class TestMigrateOps final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    int m_counter = 0;

    ops::MigrationRequest request(const ConnectionProfile &profile, const QString &dir, const QString &typed = {})
    {
        ops::MigrationRequest r;
        r.target = {profile, {}, m_store.get(), m_profiles.get()};
        r.options.migrationsDir = ops::resolveMigrationsDir(dir, profile);
        auto settings = ops::settingsFromEnvironment();
        if (settings)
            r.options.settings = *settings;
        r.confirmation.typed = typed;
        return r;
    }

    QList<AuditEntry> audit()
    {
        auto recent = AuditLog(*m_store).recent(100);
        return recent ? *recent : QList<AuditEntry>{};
    }

    int backups()
    {
        QSqlQuery q(m_store->database());
        return q.exec(u"SELECT count(*) FROM backups"_s) && q.next() ? q.value(0).toInt() : -1;
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        qputenv("DBOPS_HOME", m_home.path().toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
        qunsetenv("RUN_MIGRATIONS");
        qunsetenv("MIGRATIONS_DIR");
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

    void migrationsDirIsResolvedInOnePlace()
    {
        ConnectionProfile p;
        p.migrationsDir = u"/from/profile"_s;
        QCOMPARE(ops::resolveMigrationsDir(u"/given"_s, p), u"/given"_s);
        qputenv("MIGRATIONS_DIR", "/from/env");
        QCOMPARE(ops::resolveMigrationsDir({}, p), u"/from/env"_s);
        qunsetenv("MIGRATIONS_DIR");
        QCOMPARE(ops::resolveMigrationsDir({}, p), u"/from/profile"_s);
        QCOMPARE(ops::resolveMigrationsDir({}, ConnectionProfile{}), QDir::current().absoluteFilePath(u"migrations"_s));
        QVERIFY(QDir::isAbsolutePath(ops::resolveMigrationsDir(u"rel"_s, p)));
    }

    void productionMigrateNeedsTheTypedWordThenBacksUpAndAudits()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"opsprod"_s);
        auto saved = m_profiles->save(profileFor(u"ops-prod"_s, Environment::Production, db, dir.path()));
        QVERIFY(saved.has_value());
        const QString word = ops::confirmationWord(*saved);
        QCOMPARE(word, db.value(u"dbname"_s));

        // Not typed, then mistyped: Usage, nothing changed (no history table, no backup), each audited as refused.
        for (const QString &typed : {QString(), u"not-the-name"_s})
        {
            auto job = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(request(*saved, dir.path(), typed), jc); });
            QCOMPARE(int(job->state()), int(JobState::Failed));
            QCOMPARE(int(job->error().code), int(ErrorCode::Usage));
            QVERIFY2(job->error().message.startsWith(u"not confirmed"_s) && job->error().message.endsWith(u"nothing was changed"_s),
                     qPrintable(job->error().message));
            QCOMPARE(job->error().exitCode(), 2);
            const AuditEntry last = audit().first();
            QCOMPARE(last.action, u"migrate"_s);
            QCOMPARE(last.details, u"apply pending from %1"_s.arg(dir.path()));
            QCOMPARE(last.outcome, job->error().toString());
        }
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
        QVERIFY(!tableExists(*conn, u"a"_s));
        QCOMPARE(backups(), 0);

        // Typed: a verified backup first (its id on every row written), then the run, audited once.
        ops::MigrationRequest r = request(*saved, dir.path(), word);
        auto job = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(r, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        QCOMPARE(job->value()->applied.size(), 2);
        QVERIFY(r.preChange->backupId > 0);
        QCOMPARE(backups(), 1);
        const QueryResult rows = conn->exec(u"SELECT DISTINCT backup_id FROM dbops_schema_history"_s);
        QCOMPARE(rows.rowCount(), 1);
        QCOMPARE(rows.text(0, u"backup_id"_s), QString::number(r.preChange->backupId));
        const QList<AuditEntry> entries = audit();
        const auto migrates = [&] {
            return std::count_if(entries.begin(), entries.end(), [](const AuditEntry &a) { return a.action == u"migrate"_s; });
        };
        QCOMPARE(migrates(), 3); // the two refusals and the run (the backup has its own entry)
        QCOMPARE(entries.first().action, u"migrate"_s);
        QCOMPARE(entries.first().profile, u"ops-prod"_s);
        QCOMPARE(entries.first().environment, u"production"_s);
        QCOMPARE(entries.first().target, saved->targetDescription());
        QCOMPARE(entries.first().details, u"apply pending from %1; 2 applied (1, 2)"_s.arg(dir.path()));
        QCOMPARE(entries.first().outcome, u"ok"_s);

        // Nothing left: still audited (every non-dry-run migrate), and no second backup needed.
        job = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(request(*saved, dir.path(), word), jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        QCOMPARE(audit().size(), entries.size() + 1);
        QCOMPARE(audit().first().action, u"migrate"_s);
        QCOMPARE(audit().first().details, u"apply pending from %1; 0 applied"_s.arg(dir.path()));
        QCOMPARE(audit().first().outcome, u"ok: nothing to apply"_s);
        QCOMPARE(backups(), 1);
    }

    void dryRunIsNotAuditedAndNeedsNoConfirmation()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"opsdry"_s);
        auto saved = m_profiles->save(profileFor(u"ops-dry"_s, Environment::Production, db, dir.path()));
        QVERIFY(saved.has_value());
        ops::MigrationRequest r = request(*saved, dir.path());
        r.options.dryRun = true;
        auto job = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(r, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        QCOMPARE(job->value()->plan.size(), 1);
        QVERIFY(audit().isEmpty());
        QCOMPARE(backups(), 0);
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"a"_s));
    }

    void runMigrationsFalseSkipsWithoutConnecting()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        ConnectParams nowhere;
        nowhere.set(u"host"_s, u"127.0.0.1"_s);
        nowhere.set(u"port"_s, u"1"_s); // nothing listens: a connection attempt would fail
        nowhere.set(u"user"_s, u"x"_s);
        nowhere.set(u"dbname"_s, u"x"_s);
        const ConnectionProfile p = profileFor(u"ops-off"_s, Environment::Production, nowhere, dir.path());
        qputenv("RUN_MIGRATIONS", "false");
        ops::MigrationRequest r = request(p, dir.path());
        qunsetenv("RUN_MIGRATIONS");
        QVERIFY(!r.options.settings.runMigrations);
        auto job = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(r, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        QCOMPARE(job->value()->skipped,
                 u"migrations are switched off by RUN_MIGRATIONS=false; nothing was applied and no connection was made"_s);
        QVERIFY(job->value()->applied.isEmpty());
        QVERIFY(audit().isEmpty());
    }

    void aPartlyFailedMigrateIsAFailedJob()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_bad.sql"_s, "CREATE TABLE b (x int);\nINSERT INTO missing VALUES (1);\n");
        writeFile(dir.path(), u"3_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"opsfail"_s);
        auto saved = m_profiles->save(profileFor(u"ops-fail"_s, Environment::Development, db, dir.path()));
        QVERIFY(saved.has_value());
        auto job = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(request(*saved, dir.path()), jc); });
        QCOMPARE(int(job->state()), int(JobState::Failed));
        QCOMPARE(int(job->error().code), int(ErrorCode::OperationFailed));
        QVERIFY(job->value().has_value()); // what was applied before the failing file
        const MigrateResult r = *job->value();
        QCOMPARE(r.applied.size(), 1);
        QVERIFY(r.failure.has_value());
        QCOMPARE(r.failure->version, u"2"_s);
        QCOMPARE(job->error().message, r.failure->toText());
        QCOMPARE(int(jobFailure(r)->code), int(ErrorCode::OperationFailed));
        const AuditEntry last = audit().first();
        QCOMPARE(last.action, u"migrate"_s);
        QCOMPARE(last.details, u"apply pending from %1; 1 applied (1)"_s.arg(dir.path()));
        QCOMPARE(last.outcome, r.failure->toText());
        auto conn = PgFixture::connect(db);
        QVERIFY(tableExists(*conn, u"a"_s));
        QVERIFY(!tableExists(*conn, u"b"_s)); // rolled back
        QVERIFY(!tableExists(*conn, u"c"_s));

        // A cancelled result is a failed job too, and a complete one is not.
        MigrateResult cancelled;
        cancelled.cancelled = true;
        QCOMPARE(int(jobFailure(cancelled)->code), int(ErrorCode::Cancelled));
        QVERIFY(!jobFailure(MigrateResult{}).has_value());
    }

    void historyOperationsOnProductionNeedTheTypedWord()
    {
        // repair, baseline, down and mark-applied (adopt: adoptTakesOverAPlainHistoryOnceConfirmed):
        // refused without the word (nothing changed, no backup), then run with it: a pre-change
        // backup and one exact audit record each.
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.up.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"0001_a.down.sql"_s, "DROP TABLE a;");
        writeFile(dir.path(), u"0002_b.up.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"0002_b.down.sql"_s, "DROP TABLE b;");
        writeFile(dir.path(), u"0003_c.up.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"opshist"_s);
        auto saved = m_profiles->save(profileFor(u"ops-hist"_s, Environment::Production, db, dir.path()));
        QVERIFY(saved.has_value());
        const QString word = ops::confirmationWord(*saved);
        auto conn = PgFixture::connect(db);
        const auto historyRows = [&] { return conn->exec(u"SELECT count(*) FROM dbops_schema_history"_s).value(0, 0).toInt(); };

        // Baseline at 0001 (production).
        auto refused =
            runJob<QString>([&](JobContext &jc) { return ops::baseline(request(*saved, dir.path()), u"0001"_s, u"taken over"_s, jc); });
        QCOMPARE(int(refused->error().code), int(ErrorCode::Usage));
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
        QCOMPARE(backups(), 0);
        QCOMPARE(audit().first().action, u"baseline"_s);
        QCOMPARE(audit().first().details, u"0001"_s);
        QCOMPARE(audit().first().outcome, refused->error().toString());
        ops::MigrationRequest r = request(*saved, dir.path(), word);
        auto baselined = runJob<QString>([&](JobContext &jc) { return ops::baseline(r, u"0001"_s, u"taken over"_s, jc); });
        QVERIFY2(baselined->state() == JobState::Succeeded, qPrintable(baselined->error().toString()));
        QCOMPARE(*baselined->value(), u"0001"_s);
        QVERIFY(r.preChange->backupId > 0);
        QCOMPARE(audit().first().details, u"0001"_s);
        QCOMPARE(audit().first().outcome, u"ok"_s);
        QCOMPARE(historyRows(), 1);

        // Mark 0002 applied by hand.
        auto plan =
            runJob<MarkAppliedPlan>([&](JobContext &jc) { return ops::planMarkApplied(request(*saved, dir.path()), u"0002"_s, {}, jc); });
        QVERIFY2(plan->state() == JobState::Succeeded, qPrintable(plan->error().toString()));
        MarkAppliedPlan shown = *plan->value();
        auto noReason =
            runJob<MarkAppliedPlan>([&](JobContext &jc) { return ops::markApplied(request(*saved, dir.path(), word), shown, jc); });
        QCOMPARE(int(noReason->error().code), int(ErrorCode::Usage));
        shown.reason = u"run by hand during the incident"_s;
        auto unmarked = runJob<MarkAppliedPlan>([&](JobContext &jc) { return ops::markApplied(request(*saved, dir.path()), shown, jc); });
        QCOMPARE(int(unmarked->error().code), int(ErrorCode::Usage));
        QCOMPARE(historyRows(), 1);
        auto marked =
            runJob<MarkAppliedPlan>([&](JobContext &jc) { return ops::markApplied(request(*saved, dir.path(), word), shown, jc); });
        QVERIFY2(marked->state() == JobState::Succeeded, qPrintable(marked->error().toString()));
        QCOMPARE(audit().first().action, u"mark-applied"_s);
        QCOMPARE(audit().first().details, shown.toText());
        QCOMPARE(audit().first().outcome, u"ok"_s);
        QCOMPARE(historyRows(), 3); // the row and the REPAIR row that says why

        // Down to 0001: the plan names what runs; refused without the word.
        auto downPlan = runJob<DownPlan>([&](JobContext &jc) { return ops::planDown(request(*saved, dir.path()), u"0001"_s, jc); });
        QVERIFY2(downPlan->state() == JobState::Succeeded, qPrintable(downPlan->error().toString()));
        QCOMPARE(downPlan->value()->steps.size(), 1);
        QCOMPARE(downPlan->value()->steps.first().version, u"0002"_s);
        QVERIFY(downPlan->value()->hasDataLoss()); // DROP TABLE b
        conn->exec(u"CREATE TABLE b (x int)"_s);   // what 0002 created by hand
        auto downRefused =
            runJob<DownResult>([&](JobContext &jc) { return ops::down(request(*saved, dir.path(), u"wrong"_s), u"0001"_s, jc); });
        QCOMPARE(int(downRefused->error().code), int(ErrorCode::Usage));
        QVERIFY(tableExists(*conn, u"b"_s));
        QCOMPARE(audit().first().action, u"down"_s);
        QCOMPARE(audit().first().details, u"to 0001"_s);
        auto downed = runJob<DownResult>([&](JobContext &jc) { return ops::down(request(*saved, dir.path(), word), u"0001"_s, jc); });
        QVERIFY2(downed->state() == JobState::Succeeded, qPrintable(downed->error().toString()));
        QCOMPARE(downed->value()->reverted.size(), 1);
        QVERIFY(!tableExists(*conn, u"b"_s));
        QCOMPARE(audit().first().details, u"to 0001"_s);
        QCOMPARE(audit().first().outcome, u"ok"_s);

        // Repair: a failed row to remove (0002, outside a transaction, fails at its first statement).
        writeFile(dir.path(), u"0002_b.up.sql"_s, "-- dbops:no-transaction\nINSERT INTO nowhere (nope) VALUES (1);\n");
        auto failed = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(request(*saved, dir.path(), word), jc); });
        QCOMPARE(int(failed->state()), int(JobState::Failed));
        auto repairPlan = runJob<RepairPlan>([&](JobContext &jc) { return ops::planRepair(request(*saved, dir.path()), {}, jc); });
        QVERIFY2(repairPlan->state() == JobState::Succeeded, qPrintable(repairPlan->error().toString()));
        QVERIFY(!repairPlan->value()->isEmpty());
        const int before = historyRows();
        auto repairRefused =
            runJob<RepairPlan>([&](JobContext &jc) { return ops::repair(request(*saved, dir.path()), *repairPlan->value(), {}, jc); });
        QCOMPARE(int(repairRefused->error().code), int(ErrorCode::Usage));
        QCOMPARE(historyRows(), before);
        auto repaired = runJob<RepairPlan>(
            [&](JobContext &jc) { return ops::repair(request(*saved, dir.path(), word), *repairPlan->value(), {}, jc); });
        QVERIFY2(repaired->state() == JobState::Succeeded, qPrintable(repaired->error().toString()));
        QCOMPARE(audit().first().action, u"repair"_s);
        QCOMPARE(audit().first().details, repairPlan->value()->toText());
        QCOMPARE(audit().first().outcome, u"ok"_s);
    }

    void adoptTakesOverAPlainHistoryOnceConfirmed()
    {
        // A database another tool migrated, with a plain schema_migrations(name) table (seed 001):
        // on production, adopt is refused without the typed word (nothing changed, no backup),
        // then adopts with it: one pre-change backup and exactly one audit record of the adoption.
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"0002_b.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"0003_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"opsadopt"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE schema_migrations (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())"_s);
        conn->exec(u"CREATE TABLE a (x int); CREATE TABLE b (x int)"_s);
        conn->exec(u"INSERT INTO schema_migrations (name) VALUES ('0001_a.sql'), ('0002_b.sql')"_s);
        auto saved = m_profiles->save(profileFor(u"ops-adopt"_s, Environment::Production, db, dir.path()));
        QVERIFY(saved.has_value());
        const QString word = ops::confirmationWord(*saved);
        const auto plainRows = [&] { return conn->exec(u"SELECT count(*) FROM schema_migrations"_s).value(0, 0).toInt(); };
        const auto adopts = [&](const QString &outcome) {
            const QList<AuditEntry> entries = audit();
            return std::count_if(entries.begin(), entries.end(), [&](const AuditEntry &a) {
                return a.action == u"adopt"_s && (outcome.isEmpty() || a.outcome == outcome);
            });
        };

        // Not typed, then mistyped (with --record-checksums): Usage, nothing changed, each audited as refused.
        for (const QString &typed : {QString(), u"not-the-name"_s})
        {
            AdoptOptions options;
            options.recordChecksums = !typed.isEmpty();
            auto job = runJob<AdoptResult>([&](JobContext &jc) { return ops::adopt(request(*saved, dir.path(), typed), options, jc); });
            QCOMPARE(int(job->state()), int(JobState::Failed));
            QCOMPARE(int(job->error().code), int(ErrorCode::Usage));
            QVERIFY2(job->error().message.startsWith(u"not confirmed"_s) && job->error().message.endsWith(u"nothing was changed"_s),
                     qPrintable(job->error().message));
            const AuditEntry last = audit().first();
            QCOMPARE(last.action, u"adopt"_s);
            QCOMPARE(last.profile, u"ops-adopt"_s);
            QCOMPARE(last.details, options.recordChecksums ? dir.path() + u" (checksums recorded from the files)"_s : dir.path());
            QCOMPARE(last.outcome, job->error().toString());
        }
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
        QCOMPARE(plainRows(), 2);
        QCOMPARE(backups(), 0);
        QCOMPARE(adopts({}), 2);

        // Typed: the plain history's rows become dbops' own, after a verified backup.
        ops::MigrationRequest r = request(*saved, dir.path(), word);
        auto job = runJob<AdoptResult>([&](JobContext &jc) { return ops::adopt(r, {}, jc); });
        QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
        const AdoptResult adopted = *job->value();
        QCOMPARE(adopted.fromFormat, u"plain"_s);
        QCOMPARE(adopted.fromTable, u"public.schema_migrations"_s);
        QCOMPARE(adopted.rows, 2);
        QCOMPARE(adopted.withoutChecksum, (QStringList{u"0001"_s, u"0002"_s})); // the plain table kept none
        QCOMPARE(adopted.recordedChecksums, 0);
        QVERIFY(r.preChange->backupId > 0);
        QCOMPARE(backups(), 1);
        QCOMPARE(conn->exec(u"SELECT string_agg(version, ',' ORDER BY version) FROM dbops_schema_history WHERE type = 'SQL'"_s)
                     .value(0, 0)
                     .toString(),
                 u"0001,0002"_s);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE type = 'REPAIR' AND description LIKE 'adopted from plain%'"_s)
                     .value(0, 0)
                     .toInt(),
                 1);
        QCOMPARE(plainRows(), 2); // left as it was, for the other tool
        const AuditEntry last = audit().first();
        QCOMPARE(last.action, u"adopt"_s);
        QCOMPARE(last.environment, u"production"_s);
        QCOMPARE(last.target, saved->targetDescription());
        QCOMPARE(last.details, dir.path());
        QCOMPARE(last.outcome, u"ok"_s);
        QCOMPARE(adopts(u"ok"_s), 1); // the adoption, audited once (the backup has its own entry)
        QCOMPARE(adopts({}), 3);

        // Now dbops keeps the history: 0003 is what is pending.
        auto info = runJob<Timeline>([&](JobContext &jc) { return ops::info(request(*saved, dir.path()), jc); });
        QVERIFY2(info->state() == JobState::Succeeded, qPrintable(info->error().toString()));
        const Timeline timeline = *info->value();
        QCOMPARE(timeline.historyFormat, u"dbops"_s);
        QCOMPARE(timeline.pending().size(), 1);
        QCOMPARE(timeline.pending().first()->version, u"0003"_s);
    }

    void mutatingOperationsNeedTheStore()
    {
        // No store, no audit and no backup rule: refused before anything connects.
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"opsnostore"_s);
        ops::MigrationRequest r = request(profileFor(u"ops-nostore"_s, Environment::Development, db, dir.path()), dir.path());
        r.target.store = nullptr;
        auto job = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(r, jc); });
        QCOMPARE(int(job->state()), int(JobState::Failed));
        QCOMPARE(int(job->error().code), int(ErrorCode::Internal));
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
        // Reads need none.
        auto info = runJob<Timeline>([&](JobContext &jc) { return ops::info(r, jc); });
        QVERIFY2(info->state() == JobState::Succeeded, qPrintable(info->error().toString()));
    }

    void badHistoryFormatIsBadInputBeforeConnecting()
    {
        QTemporaryDir dir;
        ConnectParams nowhere;
        nowhere.set(u"host"_s, u"127.0.0.1"_s);
        nowhere.set(u"port"_s, u"1"_s);
        ops::MigrationRequest r = request(profileFor(u"ops-fmt"_s, Environment::Development, nowhere, dir.path()), dir.path());
        r.options.historyFormat = u"liquibase"_s;
        auto job = runJob<Timeline>([&](JobContext &jc) { return ops::info(r, jc); });
        QCOMPARE(int(job->error().code), int(ErrorCode::BadInput));
        QVERIFY2(job->error().message.contains(u"'liquibase' is not one of"_s), qPrintable(job->error().message));
    }

    void lockProbeLeasesOneConnection()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"opsprobe"_s);
        ops::LockProbe probe(request(profileFor(u"ops-probe"_s, Environment::Development, db, dir.path()), dir.path()));
        auto conn = PgFixture::connect(db);
        const auto monitors = [&] {
            return conn
                ->exec(u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbops lock monitor' AND datname = $1"_s,
                       {db.value(u"dbname"_s)})
                .value(0, 0)
                .toInt();
        };
        for (int i = 0; i < 5; ++i)
        {
            auto job = runJob<LockStatus>([&](JobContext &jc) { return probe.probe(jc); });
            QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
            QVERIFY(!job->value()->holder.has_value());
        }
        QCOMPARE(probe.connectionsOpened(), 1);
        QCOMPARE(monitors(), 1);

        // The lease broke (terminated): the next probes reopen it once.
        conn->exec(
            u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dbops lock monitor' AND datname = $1"_s,
            {db.value(u"dbname"_s)});
        QDeadlineTimer deadline(30000);
        bool ok = false;
        while (!ok && !deadline.hasExpired())
            ok = runJob<LockStatus>([&](JobContext &jc) { return probe.probe(jc); })->state() == JobState::Succeeded;
        QVERIFY(ok);
        QCOMPARE(probe.connectionsOpened(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(monitors(), 1, 10000);
    }
};

QTEST_GUILESS_MAIN(TestMigrateOps)
#include "test_migrate_ops.moc"
