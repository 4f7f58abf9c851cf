// The migration engine against a real PostgreSQL, in process (the CLI tests drive the same code as processes):
// apply, failures, cancel and the lock; test_engine_history has baseline, down, repair and validation.
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/migrate/checksum.h"
#include "core/migrate/dbopshistory.h"
#include "core/migrate/migrator.h"
#include "tests/support/engine.h"
#include "tests/support/files.h"
#include "tests/support/jobs.h"
#include "tests/support/pgfixture.h"
#include "tests/support/sessions.h"
#include "tests/support/wait.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestEngine final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void appliesDemoProjectWithFullHistory()
    {
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"demo"_s);
        const MigrateResult r = migrate(db, options(dir.path()));
        QVERIFY(!r.failure);
        QCOMPARE(r.applied.size(), 13);
        QCOMPARE(r.currentVersion, u"0013"_s);
        auto conn = PgFixture::connect(db);
        QVERIFY(tableExists(*conn, u"jobs"_s));
        QVERIFY(
            conn->exec(u"SELECT 1 FROM information_schema.columns WHERE table_name = 'jobs' AND column_name = 'scheduled_for'"_s).rowCount()
            == 1);
        const QueryResult h = conn->exec(
            u"SELECT version, checksum, applied_sql, installed_by, os_user, client_host, success, dbops_version, statements_total "
            u"FROM dbops_schema_history ORDER BY installed_rank"_s);
        QCOMPARE(h.rowCount(), 13);
        QFile first(dir.path() + u"/0001_existing_schema.sql"_s);
        QVERIFY(first.open(QIODevice::ReadOnly));
        const QByteArray bytes = first.readAll();
        QCOMPARE(h.value(0, u"checksum"_s).toByteArray(), sha256(bytes));
        QCOMPARE(h.text(0, u"applied_sql"_s), QString::fromUtf8(bytes));
        QCOMPARE(h.text(0, u"installed_by"_s), u"postgres"_s);
        QVERIFY(!h.text(0, u"os_user"_s).isEmpty());
        QVERIFY(!h.text(0, u"client_host"_s).isEmpty());
        QCOMPARE(h.text(0, u"dbops_version"_s), QStringLiteral(DBOPS_VERSION));
        QCOMPARE(h.value(0, u"statements_total"_s).toInt(), 7);
        // A second run applies nothing.
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 0);
        QCOMPARE(historyRows(*conn), 13);
    }

    void failureInThirdOfFiveRollsBackOnlyIt()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"3_c.sql"_s, "CREATE TABLE c (x int);\n\nINSERT INTO c VALUES (1);\nINSERT INTO c\n  VALUES (1 / 0);\n");
        writeFile(dir.path(), u"4_d.sql"_s, "CREATE TABLE d (x int);");
        writeFile(dir.path(), u"5_e.sql"_s, "CREATE TABLE e (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"fail"_s);
        const MigrateResult r = migrate(db, options(dir.path()));
        QCOMPARE(r.applied.size(), 2);
        QVERIFY(r.failure);
        QCOMPARE(r.failure->version, u"3"_s);
        QCOMPARE(r.failure->statement, 3);
        QCOMPARE(r.failure->line, 4); // a run-time error has no position: the statement's first line
        QCOMPARE(r.failure->error.sqlstate, u"22012"_s);
        QVERIFY(r.failure->rolledBack);
        QVERIFY(r.failure->toText().contains(u"rolled back"_s));
        auto conn = PgFixture::connect(db);
        QVERIFY(tableExists(*conn, u"a"_s) && tableExists(*conn, u"b"_s));
        QVERIFY(!tableExists(*conn, u"c"_s));
        QVERIFY(!tableExists(*conn, u"d"_s) && !tableExists(*conn, u"e"_s));
        QCOMPARE(historyRows(*conn), 2);
        const Timeline t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"3"_s)->state), int(MigrationState::Pending));
        QCOMPARE(int(entry(t, u"4"_s)->state), int(MigrationState::Pending));
        QCOMPARE(int(entry(t, u"5"_s)->state), int(MigrationState::Pending));
        // The lock is free again.
        QCOMPARE(conn->exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"_s).value(0, 0).toInt(), 0);
    }

    void nonTransactionalFailureIsDirtyThenResumesAfterRepair()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_t.sql"_s, "CREATE TABLE t (x int, y int);");
        // Statement 1 cannot run twice (no IF NOT EXISTS): a resume must skip it.
        writeFile(dir.path(), u"2_idx.sql"_s,
                  "-- dbops:no-transaction\nCREATE INDEX CONCURRENTLY t_x ON t (x);\nCREATE INDEX CONCURRENTLY t_y ON t (y);\n"
                  "CREATE INDEX CONCURRENTLY t_z ON t (z);\n");
        const ConnectParams db = PgFixture::newDatabase(u"notx"_s);
        MigrateResult r = migrate(db, options(dir.path()));
        QVERIFY(r.failure);
        QCOMPARE(r.failure->statement, 3);
        QCOMPARE(r.failure->line, 4);
        QVERIFY(!r.failure->rolledBack);
        QCOMPARE(r.failure->statementsDone, 2);
        Timeline t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"2"_s)->state), int(MigrationState::Dirty));
        QCOMPARE(entry(t, u"2"_s)->row->statementsDone, 2);

        // migrate refuses while dirty.
        bool refused = false;
        try
        {
            migrate(db, options(dir.path()));
        }
        catch (const Exception &e)
        {
            refused = e.error().code == ErrorCode::ProblemsFound && e.error().detail.contains(u"stopped part-way"_s);
        }
        QVERIFY(refused);

        // Fix the file's third statement, repair (marks it resumable), re-run: only statement 3 runs.
        writeFile(dir.path(), u"2_idx.sql"_s,
                  "-- dbops:no-transaction\nCREATE INDEX CONCURRENTLY t_x ON t (x);\nCREATE INDEX CONCURRENTLY t_y ON t (y);\n"
                  "CREATE INDEX CONCURRENTLY t_xy ON t (x, y);\n");
        Migrator m(db, options(dir.path()));
        auto plan = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.planRepair({}, jc)); });
        QVERIFY(plan);
        const RepairPlan p = plan->value<RepairPlan>();
        QCOMPARE(p.actions.size(), 1);
        QCOMPARE(int(p.actions[0].kind), int(RepairAction::Kind::MarkResumable));
        QVERIFY(runInJob([&](JobContext &jc) { return QVariant::fromValue(m.repair(p, {}, jc)); }));
        t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"2"_s)->state), int(MigrationState::Pending));
        QCOMPARE(entry(t, u"2"_s)->resumeFrom, 2);
        r = migrate(db, options(dir.path()));
        QVERIFY2(!r.failure, qPrintable(r.failure ? r.failure->toText() : QString()));
        QCOMPARE(r.applied.size(), 1);
        auto conn = PgFixture::connect(db);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM pg_indexes WHERE tablename = 't'"_s).value(0, 0).toInt(), 3);
        QCOMPARE(int(entry(info(db, dir.path()), u"2"_s)->state), int(MigrationState::Applied));
        QCOMPARE(historyRows(*conn, u"type = 'REPAIR'"_s), 1);
    }

    void transactionControlInAPendingFileIsRefusedBeforeAnythingRuns()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"txctl"_s);
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 1);
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);\nBEGIN;\nINSERT INTO b VALUES (1);\nCOMMIT;\n");
        writeFile(dir.path(), u"3_c.sql"_s, "-- dbops:no-transaction\nCREATE TABLE c (x int);\nend;\n");
        auto conn = PgFixture::connect(db);
        const auto refusal = [&](bool dryRun, const ConnectParams &target) {
            MigrateOptions o = options(dir.path());
            o.dryRun = dryRun;
            try
            {
                migrate(target, o);
            }
            catch (const Exception &e)
            {
                return e.error();
            }
            return Error{};
        };
        for (const bool dryRun : {false, true})
        {
            const Error e = refusal(dryRun, db);
            QCOMPARE(int(e.code), int(ErrorCode::BadInput));
            QCOMPARE(e.exitCode(), 2);
            QVERIFY2(e.message.contains(u"2_b.sql line 2, statement 2: BEGIN"_s), qPrintable(e.message));
            QVERIFY2(e.message.contains(u"nothing was applied"_s), qPrintable(e.message));
            QCOMPARE(e.context, u"2_b.sql:2"_s);
            QVERIFY2(e.detail.contains(u"2_b.sql:4: statement 4 is COMMIT"_s), qPrintable(e.detail));
            QVERIFY2(e.detail.contains(u"3_c.sql:3: statement 2 is COMMIT (end), in a -- dbops:no-transaction file"_s),
                     qPrintable(e.detail));
            QVERIFY2(e.hint.contains(u"dbops runs each migration in its own transaction"_s), qPrintable(e.hint));
            QVERIFY2(e.hint.contains(u"remove the file's own transaction control"_s), qPrintable(e.hint));
            QVERIFY(e.hint.contains(u"no-transaction"_s));
            // Nothing of 2 or 3 ran, and the history is as it was.
            QVERIFY(!tableExists(*conn, u"b"_s));
            QVERIFY(!tableExists(*conn, u"c"_s));
            QCOMPARE(historyRows(*conn), 1);
        }

        // On a database dbops never touched, not even the history table is created.
        const ConnectParams fresh = PgFixture::newDatabase(u"txctl_fresh"_s);
        QCOMPARE(int(refusal(false, fresh).code), int(ErrorCode::BadInput));
        auto freshConn = PgFixture::connect(fresh);
        QVERIFY(!tableExists(*freshConn, u"dbops_schema_history"_s));
        QVERIFY(!tableExists(*freshConn, u"a"_s));

        // Once the files no longer control the transaction, they apply.
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);\nINSERT INTO b VALUES (1);\n");
        writeFile(dir.path(), u"3_c.sql"_s, "-- dbops:no-transaction\nCREATE TABLE c (x int);\n");
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 2);
    }

    void interruptedConcurrentIndexIsSeenDroppedAndRebuilt_data()
    {
        QTest::addColumn<bool>("ifNotExists");
        QTest::newRow("plain") << false;
        QTest::newRow("if not exists") << true;
    }

    void interruptedConcurrentIndexIsSeenDroppedAndRebuilt()
    {
        QFETCH(bool, ifNotExists);
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_t.sql"_s, "CREATE TABLE t (x int);\nINSERT INTO t SELECT generate_series(1, 1000);\n");
        writeFile(dir.path(), u"2_idx.sql"_s,
                  ifNotExists ? "-- dbops:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_x ON t (x);\n"
                              : "-- dbops:no-transaction\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n");
        const ConnectParams db = PgFixture::newDatabase(u"cic"_s);
        MigrateOptions first = options(dir.path());
        first.target = u"1"_s;
        QCOMPARE(migrate(db, first).applied.size(), 1);

        // An open writer makes the CREATE INDEX CONCURRENTLY wait once it has created the (still
        // invalid) index; it is terminated right there, from another connection.
        auto writer = PgFixture::connect(db);
        writer->exec(u"BEGIN"_s);
        writer->exec(u"INSERT INTO t VALUES (0)"_s);
        MigrateResult r;
        QString thrown;
        std::thread runner([&] {
            try
            {
                r = migrate(db, options(dir.path()));
            }
            catch (const Exception &e)
            {
                thrown = e.error().toString();
            }
        });
        auto conn = PgFixture::connect(db);
        const int pid = waitForBackend(*conn, u"CREATE INDEX CONCURRENTLY%"_s, u"Lock"_s);
        if (pid > 0)
            conn->exec(u"SELECT pg_terminate_backend($1)"_s, {pid});
        runner.join();
        writer->exec(u"ROLLBACK"_s);
        QVERIFY2(pid > 0, "the CREATE INDEX CONCURRENTLY never waited");
        QVERIFY2(thrown.isEmpty(), qPrintable(thrown));
        QVERIFY(r.failure);
        QVERIFY(!r.failure->rolledBack);
        QCOMPARE(conn->exec(u"SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass"_s).value(0, 0).toBool(), false);
        // The row keeps the reason although the session died with the statement.
        const QString reason = conn->exec(u"SELECT error FROM dbops_schema_history WHERE version = '2'"_s).value(0, 0).toString();
        QVERIFY2(reason.contains(u"terminat"_s) || reason.contains(u"closed the connection"_s), qPrintable(reason));

        Timeline t = info(db, dir.path());
        QCOMPARE(entry(t, u"2"_s)->invalidIndexes, QStringList{u"t_x"_s});
        QVERIFY(entry(t, u"2"_s)->toJson().value(u"invalid_indexes"_s).isArray());
        if (ifNotExists)
        {
            // What dbops did before: the failed row removed and the file run again, which "succeeded"
            // over the invalid index (IF NOT EXISTS): the history says applied.
            conn->exec(u"UPDATE dbops_schema_history SET success = true, statements_done = statements_total, error = NULL "
                       u"WHERE version = '2'"_s);
            t = info(db, dir.path());
            QCOMPARE(int(entry(t, u"2"_s)->state), int(MigrationState::Applied));
            QCOMPARE(entry(t, u"2"_s)->invalidIndexes, QStringList{u"t_x"_s});
        }
        const ValidateResult v = validate(db, dir.path());
        bool named = false;
        for (const TimelineProblem &p : v.problems)
            named = named || p.message.contains(u"index t_x is INVALID"_s);
        QVERIFY2(named, QJsonDocument(v.toJson()).toJson().constData());

        Migrator m(db, options(dir.path()));
        auto planned = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.planRepair({}, jc)); });
        QVERIFY(planned);
        const RepairPlan plan = planned->value<RepairPlan>();
        QSet<int> kinds;
        for (const RepairAction &a : plan.actions)
        {
            kinds << int(a.kind);
            if (a.kind == RepairAction::Kind::DropInvalidIndexes)
                QCOMPARE(a.indexes, QStringList{u"t_x"_s});
        }
        QVERIFY2(kinds.contains(int(RepairAction::Kind::DropInvalidIndexes)), qPrintable(plan.toText()));
        QVERIFY2(kinds.contains(int(ifNotExists ? RepairAction::Kind::Rerun : RepairAction::Kind::RemoveFailed)),
                 qPrintable(plan.toText()));
        auto repaired = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.repair(plan, {}, jc)); });
        QVERIFY2(repaired, qPrintable(repaired ? QString() : repaired.error().toString()));
        QVERIFY(conn->exec(u"SELECT to_regclass('t_x') IS NULL"_s).value(0, 0).toBool());
        QVERIFY(
            conn->exec(u"SELECT description FROM dbops_schema_history WHERE type = 'REPAIR'"_s).value(0, 0).toString().contains(u"t_x"_s));

        // The re-run builds it, valid.
        r = migrate(db, options(dir.path()));
        QVERIFY2(!r.failure, qPrintable(r.failure ? r.failure->toText() : QString()));
        QCOMPARE(r.applied.size(), 1);
        QCOMPARE(conn->exec(u"SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass"_s).value(0, 0).toBool(), true);
        QVERIFY(validate(db, dir.path()).problems.isEmpty());
    }

    void cancelMidMigrationSaysWhatWasAppliedAndWhatStaysPending_data()
    {
        QTest::addColumn<bool>("noTransaction");
        QTest::newRow("transactional") << false;
        QTest::newRow("no transaction") << true;
    }

    void cancelMidMigrationSaysWhatWasAppliedAndWhatStaysPending()
    {
        QFETCH(bool, noTransaction);
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s,
                  QByteArray(noTransaction ? "-- dbops:no-transaction\n" : "") + "CREATE TABLE b (x int);\nSELECT pg_sleep(60);\n");
        writeFile(dir.path(), u"3_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"cancel"_s);
        Migrator m(db, options(dir.path()));
        Job job(u"migrate"_s, [&](JobContext &jc) { return QVariant::fromValue(m.migrate(jc)); });
        std::thread runner([&] { job.run(); });
        auto conn = PgFixture::connect(db);
        const int pid = waitForBackend(*conn, u"SELECT pg_sleep(60)%"_s);
        job.cancel();
        runner.join();
        QVERIFY(pid > 0);
        QCOMPARE(int(job.state()), int(JobState::Succeeded)); // the run's report is its result
        const MigrateResult r = job.result().value<MigrateResult>();
        QVERIFY(r.cancelled);
        QCOMPARE(r.applied.size(), 1);
        QCOMPARE(r.applied[0].version, u"1"_s);
        QVERIFY(r.failure);
        QCOMPARE(r.failure->version, u"2"_s);
        QVERIFY(r.failure->error.isCancelled());
        const QString text = r.cancelText();
        QVERIFY2(text.startsWith(u"cancelled: 1 migration(s) applied in this run (1)"_s), qPrintable(text));
        const QJsonObject json = r.toJson();
        QCOMPARE(json.value(u"cancelled"_s).toBool(), true);
        if (noTransaction)
        {
            QVERIFY(!r.failure->rolledBack);
            QCOMPARE(r.failure->statementsDone, 1);
            QVERIFY2(text.contains(u"2 (2_b.sql) runs outside a transaction and stopped after 1 statement(s), which stay applied"_s),
                     qPrintable(text));
            QVERIFY2(text.contains(u"1 stay pending: 3."_s), qPrintable(text));
            QVERIFY(tableExists(*conn, u"b"_s));
            QCOMPARE(int(entry(info(db, dir.path()), u"2"_s)->state), int(MigrationState::Dirty));
            QCOMPARE(json.value(u"pending"_s).toArray(), QJsonArray({u"3"_s}));
        }
        else
        {
            QVERIFY(r.failure->rolledBack);
            QVERIFY2(text.contains(u"2 (2_b.sql) was in flight and was rolled back"_s), qPrintable(text));
            QVERIFY2(text.contains(u"2 stay pending: 2, 3."_s), qPrintable(text));
            QVERIFY(!tableExists(*conn, u"b"_s));
            QCOMPARE(historyRows(*conn), 1);
            QCOMPARE(json.value(u"pending"_s).toArray(), QJsonArray({u"2"_s, u"3"_s}));
        }
        QVERIFY(tableExists(*conn, u"a"_s));
        QVERIFY(!tableExists(*conn, u"c"_s));
    }

    void targetAndDryRun()
    {
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"target"_s);
        MigrateOptions o = options(dir.path());
        o.dryRun = true;
        MigrateResult r = migrate(db, o);
        QCOMPARE(r.plan.size(), 13);
        QVERIFY(r.applied.isEmpty());
        QVERIFY(r.planSql().contains(u"CREATE TABLE users"_s));
        QVERIFY(r.planSql().indexOf(u"0001"_s) < r.planSql().indexOf(u"0013"_s));
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s)); // nothing changed, not even the history table
        QVERIFY(!tableExists(*conn, u"users"_s));

        o.dryRun = false;
        o.target = u"5"_s; // "0005" == "5"
        r = migrate(db, o);
        QCOMPARE(r.applied.size(), 5);
        QCOMPARE(r.currentVersion, u"0005"_s);
        QVERIFY(!tableExists(*conn, u"questoes"_s));
    }

    void outOfOrderRefusedUnlessAllowed()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"3_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"ooo"_s);
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 2);
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
        QCOMPARE(int(entry(info(db, dir.path()), u"2"_s)->state), int(MigrationState::OutOfOrder));
        bool refused = false;
        try
        {
            migrate(db, options(dir.path()));
        }
        catch (const Exception &e)
        {
            refused = e.error().exitCode() == 1 && e.error().detail.contains(u"out of order"_s);
        }
        QVERIFY(refused);
        MigrateOptions o = options(dir.path());
        o.allowOutOfOrder = true;
        const MigrateResult r = migrate(db, o);
        QCOMPARE(r.applied.size(), 1);
        QVERIFY(r.applied[0].outOfOrder);
        auto conn = PgFixture::connect(db);
        QCOMPARE(historyRows(*conn, u"version = '2' AND out_of_order"_s), 1);
        QCOMPARE(int(entry(info(db, dir.path()), u"2"_s)->state), int(MigrationState::Applied));
    }

    void waiterReportsHolderAndGivesUp()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"lock"_s);
        auto holder = PgFixture::connect(db);
        const QString dbName = holder->database();
        const qint64 key = DbopsHistory::lockKeyFor(dbName, u"public"_s, u"dbops_schema_history"_s);
        holder->exec(u"SET application_name = 'other-migrator'"_s);
        holder->exec(u"SELECT pg_advisory_lock($1::bigint)"_s, {QString::number(key)});

        MigrateOptions o = options(dir.path());
        o.settings.maxWaitSec = 1;
        o.settings.lockTimeoutSec = 1;
        QList<QString> progress;
        Migrator m(db, o);
        QElapsedTimer timer;
        timer.start();
        Job job(u"migrate"_s, [&](JobContext &jc) { return QVariant::fromValue(m.migrate(jc)); });
        QObject::connect(
            &job, &Job::logLine, &job, [&](const QString &line) { progress << line; }, Qt::DirectConnection);
        job.run();
        QCOMPARE(int(job.state()), int(JobState::Failed));
        QCOMPARE(int(job.error().code), int(ErrorCode::LockTimeout));
        QCOMPARE(job.error().exitCode(), 4);
        QVERIFY2(job.error().detail.contains(u"pid %1"_s.arg(holder->backendPid())), qPrintable(job.error().detail));
        QVERIFY(job.error().detail.contains(u"other-migrator"_s));
        QVERIFY(timer.elapsed() < 15000); // gave up near its 1 s, not much later (a bound for load)
        bool reported = false;
        for (const QString &p : progress)
            reported |= p.contains(u"held by pid %1"_s.arg(holder->backendPid()));
        QVERIFY(reported);
        QVERIFY(!tableExists(*holder, u"a"_s));

        // Once the holder lets go, the same migration goes through.
        holder->exec(u"SELECT pg_advisory_unlock_all()"_s);
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 1);
    }

    void lostConnectionDuringMigrationIsRetried()
    {
        // A transient failure (the work session is terminated mid-migration) is retried with
        // backoff; the plan is recomputed under the lock so nothing is applied twice.
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_slow.sql"_s, "CREATE TABLE s (x int);\nSELECT pg_sleep(1.5);");
        const ConnectParams db = PgFixture::newDatabase(u"retry"_s);
        auto killer = PgFixture::connect(db);
        std::atomic_bool stop{false};
        std::thread terminator([&] {
            auto conn = PgFixture::connect(db);
            waitUntil([&] {
                if (stop)
                    return true;
                const auto r = conn->exec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                                          u"'dbops migrate' AND query LIKE '%pg_sleep%' AND state = 'active'"_s);
                return r.rowCount() > 0 && r.value(0, 0).toBool();
            });
        });
        MigrateResult r;
        try
        {
            r = migrate(db, options(dir.path()));
        }
        catch (...)
        {
            stop = true;
            terminator.join();
            throw;
        }
        stop = true;
        terminator.join();
        QVERIFY(!r.failure);
        // 1 ran before the kill, 2 after the retry: each once, though the run was interrupted.
        QCOMPARE(r.applied.size(), 2);
        QCOMPARE(historyRows(*killer), 2);
        QCOMPARE(historyRows(*killer, u"version = '2'"_s), 1);
        QVERIFY(tableExists(*killer, u"s"_s));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "test_engine.moc"
