// The migration engine against a real PostgreSQL, in process: baseline, down, repair, the
// before-change hook and validation (test_engine has apply, failures, cancel and the lock).
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

class TestEngineHistory final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void baselineTakesOverWithoutRunning()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"3_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"base"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE a (x int); CREATE TABLE b (x int);"_s); // the database already has 1 and 2
        Migrator m(db, options(dir.path()));
        QVERIFY(runInJob([&](JobContext &jc) {
            m.baseline(u"2"_s, {}, jc);
            return QVariant();
        }));
        Timeline t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"1"_s)->state), int(MigrationState::Baseline));
        QCOMPARE(int(entry(t, u"2"_s)->state), int(MigrationState::Baseline));
        QCOMPARE(int(entry(t, u"3"_s)->state), int(MigrationState::Pending));
        const MigrateResult r = migrate(db, options(dir.path()));
        QCOMPARE(r.applied.size(), 1);
        QCOMPARE(r.applied[0].version, u"3"_s);
        // A second baseline is refused: the history is no longer empty.
        auto again = runInJob([&](JobContext &jc) {
            m.baseline(u"3"_s, {}, jc);
            return QVariant();
        });
        QVERIFY(!again);
        QCOMPARE(int(again.error().code), int(ErrorCode::BadInput));
    }

    void downRevertsAndRefusesMissingDownFiles()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.up.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"1_a.down.sql"_s, "DROP TABLE a;");
        writeFile(dir.path(), u"2_b.up.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"2_b.down.sql"_s, "DROP TABLE b;");
        writeFile(dir.path(), u"3_c.up.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"down"_s);
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 3);
        auto conn = PgFixture::connect(db);

        Migrator m(db, options(dir.path()));
        auto refused = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.down(u"1"_s, jc)); });
        QVERIFY(!refused);
        QCOMPARE(int(refused.error().code), int(ErrorCode::BadInput));
        QVERIFY2(refused.error().detail.contains(u"3_c.up.sql"_s), qPrintable(refused.error().detail));
        QVERIFY(tableExists(*conn, u"b"_s) && tableExists(*conn, u"c"_s)); // nothing reverted

        writeFile(dir.path(), u"3_c.down.sql"_s, "DROP TABLE c;");
        Migrator m2(db, options(dir.path()));
        auto done = runInJob([&](JobContext &jc) { return QVariant::fromValue(m2.down(u"1"_s, jc)); });
        QVERIFY2(done.has_value(), qPrintable(done ? QString() : done.error().toString()));
        const DownResult r = done->value<DownResult>();
        QCOMPARE(r.reverted.size(), 2);
        QCOMPARE(r.reverted[0].version, u"3"_s); // newest first
        QCOMPARE(r.currentVersion, u"1"_s);
        QVERIFY(tableExists(*conn, u"a"_s) && !tableExists(*conn, u"b"_s) && !tableExists(*conn, u"c"_s));
        const Timeline t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"2"_s)->state), int(MigrationState::Pending));
        QCOMPARE(historyRows(*conn, u"type = 'UNDO'"_s), 2);
        // And up again.
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 2);
    }

    void beforeChangeRunsOnceUnderTheLockOnlyWhenSomethingChanges()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.up.sql"_s, "CREATE TABLE a (x int);\n");
        writeFile(dir.path(), u"1_a.down.sql"_s, "DROP TABLE a;\n");
        writeFile(dir.path(), u"2_b.up.sql"_s, "CREATE TABLE b (x int);\n");
        writeFile(dir.path(), u"2_b.down.sql"_s, "DROP TABLE b;\n");
        writeFile(dir.path(), u"3_c.up.sql"_s, "CREATE TABLE c (x int);\n");
        writeFile(dir.path(), u"3_c.down.sql"_s, "DROP TABLE c;\n");
        ConnectParams db = PgFixture::newDatabase(u"hook"_s);
        QStringList calls;
        QList<bool> underLock;
        bool refuse = false;
        MigrateOptions o = options(dir.path());
        o.beforeChange = [&](const QString &what, JobContext &) {
            // Seen from another session: is an exclusive migration lock held right now?
            auto other = PgFixture::connect(db);
            underLock << (other
                              ->exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND mode = 'ExclusiveLock' "
                                     u"AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"_s)
                              .value(0, 0)
                              .toInt()
                          > 0);
            calls << what;
            if (refuse)
                throw Exception(ErrorCode::OperationFailed, u"no verified backup: the test refuses"_s);
            return QString();
        };
        const auto down = [&](const QString &target) {
            Migrator m(db, o);
            return runInJob([&](JobContext &jc) { return QVariant::fromValue(m.down(target, jc)); });
        };
        auto conn = PgFixture::connect(db);

        refuse = true; // a refusing hook on a fresh database: nothing applied, no history table
        bool refusedMigrate = false;
        try
        {
            migrate(db, o);
        }
        catch (const Exception &e)
        {
            refusedMigrate = e.error().message.contains(u"the test refuses"_s);
        }
        QVERIFY(refusedMigrate);
        QVERIFY(!tableExists(*conn, u"a"_s) && !tableExists(*conn, u"dbops_schema_history"_s));
        refuse = false;
        calls.clear();
        underLock.clear();
        QCOMPARE(migrate(db, o).applied.size(), 3);
        QCOMPARE(calls, QStringList{u"apply 3 migration(s): 1..3"_s});
        QCOMPARE(migrate(db, o).applied.size(), 0); // nothing pending: no call
        QVERIFY(down(u"3"_s));                      // nothing to revert: no call
        QCOMPARE(calls.size(), 1);

        refuse = true; // a refusing hook: nothing reverted
        auto refused = down(u"1"_s);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(u"the test refuses"_s));
        QCOMPARE(calls.size(), 2);
        QVERIFY(tableExists(*conn, u"b"_s) && tableExists(*conn, u"c"_s));
        QCOMPARE(historyRows(*conn, u"type = 'UNDO'"_s), 0);
        refuse = false;
        QVERIFY(down(u"1"_s));
        QCOMPARE(calls.size(), 3);
        QCOMPARE(calls.last(), u"revert 2 migration(s): 3..2"_s);
        QVERIFY(!tableExists(*conn, u"b"_s));

        // repair: called when the plan changes something, not for an empty plan.
        writeFile(dir.path(), u"1_a.up.sql"_s, "CREATE TABLE a (x int);\r\n");
        {
            Migrator m(db, o);
            const RepairPlan p = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.planRepair({}, jc)); })->value<RepairPlan>();
            QCOMPARE(p.actions.size(), 1);
            refuse = true;
            QVERIFY(!runInJob([&](JobContext &jc) { return QVariant::fromValue(m.repair(p, {}, jc)); }));
            QCOMPARE(historyRows(*conn, u"type = 'REPAIR'"_s), 0);
            refuse = false;
            QVERIFY(runInJob([&](JobContext &jc) { return QVariant::fromValue(m.repair(p, {}, jc)); }));
            QCOMPARE(calls.size(), 5);
            QVERIFY(calls.last().startsWith(u"repair the history: 1 change(s)"_s));
            QVERIFY(runInJob([&](JobContext &jc) { return QVariant::fromValue(m.repair(RepairPlan{}, {}, jc)); }));
            QCOMPARE(calls.size(), 5);
        }

        // baseline, on a database dbops has not migrated.
        db = PgFixture::newDatabase(u"hookbase"_s);
        {
            auto c2 = PgFixture::connect(db);
            Migrator m(db, o);
            refuse = true;
            QVERIFY(!runInJob([&](JobContext &jc) {
                m.baseline(u"2"_s, {}, jc);
                return QVariant();
            }));
            QVERIFY(!tableExists(*c2, u"dbops_schema_history"_s)); // a refused change leaves nothing, not even the table
            refuse = false;
            QVERIFY(runInJob([&](JobContext &jc) {
                m.baseline(u"2"_s, {}, jc);
                return QVariant();
            }));
            QCOMPARE(calls.size(), 7);
            QCOMPARE(calls.last(), u"baseline the history at 2"_s);
            QCOMPARE(historyRows(*c2, u"type = 'BASELINE'"_s), 1);
        }

        // adopt a plain history.
        db = PgFixture::newDatabase(u"hookadopt"_s);
        {
            auto c3 = PgFixture::connect(db);
            c3->exec(u"CREATE TABLE schema_migrations (name text PRIMARY KEY); INSERT INTO schema_migrations VALUES ('1_a.up.sql')"_s);
            Migrator m(db, o);
            refuse = true;
            QVERIFY(!runInJob([&](JobContext &jc) { return QVariant::fromValue(m.adopt(jc)); }));
            QVERIFY(!tableExists(*c3, u"dbops_schema_history"_s));
            refuse = false;
            Migrator m2(db, o);
            QVERIFY(runInJob([&](JobContext &jc) { return QVariant::fromValue(m2.adopt(jc)); }));
            QCOMPARE(calls.size(), 9);
            QVERIFY2(calls.last().startsWith(u"adopt 1 row(s)"_s), qPrintable(calls.last()));
        }
        // Every call came while the exclusive migration lock was held.
        QCOMPARE(underLock.size(), calls.size());
        QVERIFY(!underLock.contains(false));
    }

    void failingDownNamesItsStatement()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.up.sql"_s, "CREATE TABLE a (x int);\n");
        writeFile(dir.path(), u"1_a.down.sql"_s, "DROP TABLE a;\n");
        writeFile(dir.path(), u"2_b.up.sql"_s, "CREATE TABLE b (x int);\n");
        writeFile(dir.path(), u"2_b.down.sql"_s, "DROP TABLE b;\n\nDROP TABLE nope;\n");
        const ConnectParams db = PgFixture::newDatabase(u"downfail"_s);
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 2);
        Migrator m(db, options(dir.path()));
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.down(u"0"_s, jc)); });
        QVERIFY(!r);
        QCOMPARE(r.error().exitCode(), 5);
        QVERIFY2(r.error().toString().contains(u"down 2 (2_b.down.sql) at statement 2, line 3, rolled back; it is still applied"_s),
                 qPrintable(r.error().toString()));
        auto conn = PgFixture::connect(db);
        QVERIFY(tableExists(*conn, u"b"_s));
        QCOMPARE(int(entry(info(db, dir.path()), u"2"_s)->state), int(MigrationState::Applied));
    }

    void crlfMismatchIsRepairedButChangedSqlIsNot()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);\nCREATE INDEX a_x ON a (x);\n");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);\n");
        const ConnectParams db = PgFixture::newDatabase(u"crlf"_s);
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 2);
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);\r\nCREATE INDEX a_x ON a (x);\r\n");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x bigint);\n");
        Timeline t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"1"_s)->state), int(MigrationState::ChecksumMismatch));
        QCOMPARE(int(entry(t, u"1"_s)->mismatch), int(MismatchKind::LineEndings));
        QCOMPARE(int(entry(t, u"2"_s)->mismatch), int(MismatchKind::SqlChanged));

        Migrator m(db, options(dir.path()));
        auto validated = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.validate(jc)); });
        QVERIFY(validated);
        const ValidateResult v = validated->value<ValidateResult>();
        QCOMPARE(v.problems.size(), 2);
        QVERIFY(v.diffs.value(u"2"_s).contains(u"-CREATE TABLE b (x int);"_s));
        QVERIFY(v.diffs.value(u"2"_s).contains(u"+CREATE TABLE b (x bigint);"_s));

        auto plan = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.planRepair({}, jc)); });
        const RepairPlan p = plan->value<RepairPlan>();
        QCOMPARE(p.actions.size(), 1);
        QCOMPARE(p.actions[0].version, u"1"_s);
        QCOMPARE(p.refused.size(), 1);
        QVERIFY(runInJob([&](JobContext &jc) { return QVariant::fromValue(m.repair(p, {}, jc)); }));
        t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"1"_s)->state), int(MigrationState::Applied));
        QCOMPARE(int(entry(t, u"2"_s)->state), int(MigrationState::ChecksumMismatch));

        // A plan shown before someone else changed the history is not applied.
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);\r\n");
        Migrator m2(db, options(dir.path()));
        const RepairPlan stale = runInJob([&](JobContext &jc) { return QVariant::fromValue(m2.planRepair({}, jc)); })->value<RepairPlan>();
        QCOMPARE(stale.actions.size(), 1);
        auto conn = PgFixture::connect(db);
        conn->exec(u"UPDATE dbops_schema_history SET checksum = '\\x00' WHERE version = '1'"_s);
        auto rejected = runInJob([&](JobContext &jc) { return QVariant::fromValue(m2.repair(stale, {}, jc)); });
        QVERIFY(!rejected);
        QVERIFY(rejected.error().message.contains(u"history changed"_s));
    }

    void missingFileIsReportedAndAcknowledged()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"missing"_s);
        QCOMPARE(migrate(db, options(dir.path())).applied.size(), 2);
        QFile::remove(dir.path() + u"/2_b.sql"_s);
        Timeline t = info(db, dir.path());
        QCOMPARE(int(entry(t, u"2"_s)->state), int(MigrationState::MissingFile));
        QCOMPARE(t.problems().size(), 1);
        Migrator m(db, options(dir.path()));
        const RepairPlan p = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.planRepair({}, jc)); })->value<RepairPlan>();
        QCOMPARE(p.actions.size(), 1);
        QCOMPARE(int(p.actions[0].kind), int(RepairAction::Kind::MarkMissing));
        QVERIFY(runInJob([&](JobContext &jc) { return QVariant::fromValue(m.repair(p, {}, jc)); }));
        t = info(db, dir.path());
        QVERIFY(entry(t, u"2"_s)->acknowledgedMissing);
        QVERIFY(t.problems().isEmpty());
    }

    void syntaxErrorIsReportedBeforeAnythingRuns()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);\nSELEC 1;");
        const ConnectParams db = PgFixture::newDatabase(u"syntax"_s);
        bool badInput = false;
        try
        {
            migrate(db, options(dir.path()));
        }
        catch (const Exception &e)
        {
            badInput = e.error().code == ErrorCode::BadInput && e.error().message.contains(u"2_b.sql:2:1"_s);
        }
        QVERIFY(badInput);
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"a"_s));
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
    }
};

QTEST_GUILESS_MAIN(TestEngineHistory)
#include "test_engine_history.moc"
