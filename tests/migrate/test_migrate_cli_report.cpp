// The migration CLI as real child processes against a real PostgreSQL: bad input and targets
// (exit 2, nothing changed), the RUN_MIGRATIONS switch, and what it prints and logs (the plan,
// failures, data loss, the state found); test_migrate_cli has concurrency, crashes and the lock.
// the lock wait, exit codes and bad input.
#include "core/db/pgconnection.h"
#include "core/migrate/dbopshistory.h"
#include "core/store/auditlog.h"
#include "core/store/store.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/net.h"
#include "tests/support/pgfixture.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestMigrateCliReport final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY2(!PgFixture::cliPath().isEmpty(), "DBOPS_CLI is not set");
    }

    void badInputExitsTwoAndChangesNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate version") << u"01_dup.sql"_s << QByteArray("SELECT 1;") << u"duplicate version"_s;
        QTest::newRow("unparsable name") << u"add_users.sql"_s << QByteArray("SELECT 1;") << u"add_users.sql"_s;
        QTest::newRow("not UTF-8") << u"3_latin1.sql"_s << QByteArray("SELECT 'caf\xe9';") << u"3_latin1.sql: is not valid UTF-8"_s;
        QTest::newRow("empty file") << u"3_empty.sql"_s << QByteArray() << u"3_empty.sql: is empty"_s;
        QTest::newRow("down without up") << u"3_x.down.sql"_s << QByteArray("DROP TABLE x;") << u"3_x.down.sql"_s;
        QTest::newRow("syntax error") << u"3_bad.sql"_s << QByteArray("SELECT 1;\n\n  CREATE TABEL x (a int);") << u"3_bad.sql:3:10"_s;
    }

    void badInputExitsTwoAndChangesNothing()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), name, bytes);
        const ConnectParams db = PgFixture::newDatabase(u"bad"_s);
        for (const QString &command : {u"migrate"_s, u"info"_s, u"validate"_s})
        {
            const CliResult r = runCli({command, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        }
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"a"_s));
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
    }

    void unknownTargetExitsTwoAndChangesNothing_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("nearest");
        QTest::newRow("garbage") << u"garbage"_s << u"the target 'garbage' is not a known version"_s << u"nearest known versions: 0003;"_s;
        QTest::newRow("empty") << QString() << u"the target version is empty"_s << u"known: 3 version(s), 0001 to 0003"_s;
        QTest::newRow("minus one") << u"-1"_s << u"the target '-1' is not a known version"_s << u"nearest known versions: 0001, 0002;"_s;
        QTest::newRow("huge") << u"99999999999999999999999"_s << u"the target '99999999999999999999999' is not a known version"_s
                              << u"nearest known versions: 0003;"_s;
        QTest::newRow("injection") << u"abc;DROP"_s << u"the target 'abc;DROP' is not a known version"_s
                                   << u"nearest known versions: 0003;"_s;
        QTest::newRow("between") << u"0002.5"_s << u"the target '0002.5' is not a known version"_s
                                 << u"nearest known versions: 0002, 0003;"_s;
    }

    void unknownTargetExitsTwoAndChangesNothing()
    {
        QFETCH(QString, target);
        QFETCH(QString, expected);
        QFETCH(QString, nearest);
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.up.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"0001_a.down.sql"_s, "DROP TABLE a;");
        writeFile(dir.path(), u"0002_b.up.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"0002_b.down.sql"_s, "DROP TABLE b;");
        writeFile(dir.path(), u"0003_c.up.sql"_s, "CREATE TABLE c (x int);");
        writeFile(dir.path(), u"0003_c.down.sql"_s, "DROP TABLE c;");
        const ConnectParams db = PgFixture::newDatabase(u"badtarget"_s);
        auto conn = PgFixture::connect(db);

        // migrate: nothing applied, not even the history table created.
        for (const QStringList &extra : {QStringList(), QStringList{u"--dry-run"_s}})
        {
            const CliResult r =
                runCli(QStringList{u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--target"_s, target} + extra);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(expected), qPrintable(r.err));
            QVERIFY2(r.err.contains(nearest), qPrintable(r.err));
            QVERIFY2(r.err.contains(u"nothing was changed"_s), qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
            QVERIFY(!tableExists(*conn, u"a"_s));
            QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
        }

        // down: nothing reverted.
        QCOMPARE(runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}).exitCode, 0);
        const CliResult r = runCli({u"down"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--target"_s, target, u"--yes"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QVERIFY2(r.err.contains(nearest), qPrintable(r.err));
        QVERIFY(tableExists(*conn, u"a"_s) && tableExists(*conn, u"b"_s) && tableExists(*conn, u"c"_s));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE type = 'UNDO'"_s).value(0, 0).toInt(), 0);
    }

    void knownTargetsAreAccepted()
    {
        // A version only the history knows (its file deleted since) is a valid target, and
        // `down --target 0` reverts everything.
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.up.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"1_a.down.sql"_s, "DROP TABLE a;");
        writeFile(dir.path(), u"2_b.up.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"2_b.down.sql"_s, "DROP TABLE b;");
        const ConnectParams db = PgFixture::newDatabase(u"goodtarget"_s);
        auto conn = PgFixture::connect(db);
        CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--target"_s, u"01"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(tableExists(*conn, u"a"_s) && !tableExists(*conn, u"b"_s));
        r = runCli({u"down"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--target"_s, u"0"_s, u"--yes"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!tableExists(*conn, u"a"_s));
    }

    void runMigrationsSwitch_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("runs"); // 1 runs, 0 switched off, -1 bad input
        for (const char *v : {"false", "0", "no", "FALSE", "No", " no "})
            QTest::newRow(v) << QString::fromLatin1(v) << 0;
        for (const char *v : {"true", "1", "yes", "TRUE", "Yes"})
            QTest::newRow(v) << QString::fromLatin1(v) << 1;
        for (const char *v : {"maybe", "", "2", "off", "false;"})
            QTest::newRow((std::string("bad '") + v + "'").c_str()) << QString::fromLatin1(v) << -1;
    }

    void runMigrationsSwitch()
    {
        QFETCH(QString, value);
        QFETCH(int, runs);
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const QStringList env{u"RUN_MIGRATIONS="_s + value};
        if (runs == 1)
        {
            const ConnectParams db = PgFixture::newDatabase(u"runmig"_s);
            const CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}, env);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY(r.out.contains(u"1 migration(s) applied"_s));
            auto conn = PgFixture::connect(db);
            QVERIFY(tableExists(*conn, u"a"_s));
            return;
        }
        // Switched off or refused: never connects, so an unreachable target makes no difference.
        const QString unreachable = u"host=127.0.0.1 port=1 dbname=x connect_timeout=2"_s;
        CliResult r = runCli({u"migrate"_s, u"--db"_s, unreachable, u"--migrations"_s, dir.path()}, env);
        if (runs == 0)
        {
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(r.err.contains(u"migrations are switched off by RUN_MIGRATIONS=%1"_s.arg(value)), qPrintable(r.err));
            QVERIFY(r.err.contains(u"no connection was made"_s));
            r = runCli({u"migrate"_s, u"--db"_s, unreachable, u"--migrations"_s, dir.path(), u"--json"_s}, env);
            QCOMPARE(r.exitCode, 0);
            const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
            QVERIFY2(o[u"skipped"_s].toBool(), qPrintable(r.out));
            QVERIFY(o[u"reason"_s].toString().contains(u"RUN_MIGRATIONS"_s));
        }
        else
        {
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(u"RUN_MIGRATIONS='%1' is not a boolean"_s.arg(value)), qPrintable(r.err));
        }
    }

    void failedMigrationExitsFiveWithTheDetails()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);\nINSERT INTO missing_table VALUES (1);");
        writeFile(dir.path(), u"3_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"five"_s);
        const CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains(u"migration 2 (2_b.sql) failed at statement 2, line 2"_s), qPrintable(r.err));
        QVERIFY(r.err.contains(u"SQLSTATE 42P01"_s));
        QVERIFY(r.err.contains(u"rolled back"_s));
        QVERIFY(r.err.contains(u"1 later migration(s) stay pending"_s));
        const CliResult info = runCli({u"info"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--json"_s});
        QCOMPARE(info.exitCode, 0);
        const QJsonArray ms = QJsonDocument::fromJson(info.out.toUtf8()).object()[u"migrations"_s].toArray();
        QCOMPARE(ms.size(), 3);
        QCOMPARE(ms[0].toObject()[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(ms[1].toObject()[u"state"_s].toString(), u"pending"_s);
        QCOMPARE(ms[2].toObject()[u"state"_s].toString(), u"pending"_s);
        QVERIFY(ms[0].toObject().contains(u"applied_at"_s) && ms[0].toObject().contains(u"duration_ms"_s));
    }

    void crlfScenario()
    {
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"crlfcli"_s);
        QCOMPARE(runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}).exitCode, 0);
        // git on Windows checked the files out with CRLF.
        QFile f(dir.path() + u"/0011_jobs_system.sql"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        f.close();
        writeFile(dir.path(), u"0011_jobs_system.sql"_s, bytes.replace("\n", "\r\n"));

        CliResult r = runCli({u"info"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray ms = QJsonDocument::fromJson(r.out.toUtf8()).object()[u"migrations"_s].toArray();
        QCOMPARE(ms[10].toObject()[u"state"_s].toString(), u"checksum_mismatch"_s);
        QCOMPARE(ms[10].toObject()[u"mismatch"_s].toString(), u"line endings only"_s);
        r = runCli({u"info"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QVERIFY(r.out.contains(u"checksum_mismatch (line endings only)"_s));

        QCOMPARE(runCli({u"validate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}).exitCode, 1);
        // Without a terminal and without --yes, repair refuses and changes nothing.
        r = runCli({u"repair"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(runCli({u"validate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}).exitCode, 1);
        r = runCli({u"repair"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--yes"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.err.contains(u"realign the checksum of 0011"_s));
        r = runCli({u"validate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        auto conn = PgFixture::connect(db);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE type = 'REPAIR'"_s).value(0, 0).toInt(), 1);
    }

    void dryRunPrintsThePlanInOrder()
    {
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"dry"_s);
        const CliResult r =
            runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--dry-run"_s, u"--target"_s, u"0003"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"3 migration(s) would be applied"_s));
        QVERIFY(r.out.indexOf(u"CREATE TABLE users"_s) < r.out.indexOf(u"CREATE TABLE subjects"_s));
        QVERIFY(!r.out.contains(u"0004"_s));
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
    }

    void migrateLogsTheStateFoundAndTheLock()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"logstate"_s);
        const QString key = QString::number(DbopsHistory::lockKeyFor(db.value(u"dbname"_s), u"public"_s, u"dbops_schema_history"_s));

        CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(
            r.err.contains(
                u"info: history found: dbops table \"public\".\"dbops_schema_history\", does not exist yet (created under the lock before the first migration)"_s),
            qPrintable(r.err));
        QVERIFY2(r.err.contains(u"info: migrations: 0 applied, 2 pending"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"info: migration lock taken: key %1, waited "_s.arg(key)), qPrintable(r.err));
        const qsizetype released = r.err.indexOf(u"info: migration lock released: key %1"_s.arg(key));
        QVERIFY2(released > r.err.indexOf(u"applied 2 b"_s), qPrintable(r.err));

        // A second run: the history exists, nothing pending; still the lock taken and released.
        r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"history found: dbops table \"public\".\"dbops_schema_history\", exists"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"migrations: 2 applied, 0 pending"_s), qPrintable(r.err));
        QVERIFY(r.err.contains(u"migration lock released: key %1"_s.arg(key)));

        // --json carries the same.
        writeFile(dir.path(), u"3_c.sql"_s, "CREATE TABLE c (x int);");
        r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--json"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject history = o[u"history"_s].toObject();
        QCOMPARE(history[u"format"_s].toString(), u"dbops"_s);
        QCOMPARE(history[u"table"_s].toString(), u"\"public\".\"dbops_schema_history\""_s);
        QVERIFY(history[u"exists"_s].toBool());
        QCOMPARE(history[u"applied"_s].toInt(), 2);
        QCOMPARE(history[u"pending"_s].toInt(), 1);
        const QJsonObject lock = o[u"lock"_s].toObject();
        QCOMPARE(lock[u"key"_s].toString(), key);
        QVERIFY(lock.contains(u"waited_ms"_s));
        QVERIFY(lock[u"released"_s].toBool());
        QCOMPARE(lock[u"mode"_s].toString(), u"exclusive"_s);
        auto conn = PgFixture::connect(db);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"_s).value(0, 0).toInt(), 0);

        // A failed migration still says the lock was released.
        writeFile(dir.path(), u"4_bad.sql"_s, "INSERT INTO missing_table VALUES (1);");
        r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--json"_s});
        QCOMPARE(r.exitCode, 5);
        QVERIFY(QJsonDocument::fromJson(r.out.toUtf8()).object()[u"lock"_s].toObject()[u"released"_s].toBool());
        QVERIFY2(r.err.contains(u"migration lock released: key %1"_s.arg(key)), qPrintable(r.err));
    }

    void downShowsDataLossBeforeConfirming()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_users.up.sql"_s, "CREATE TABLE users (id int, email text);\n");
        writeFile(dir.path(), u"1_users.down.sql"_s, "DROP TABLE users;\n");
        writeFile(dir.path(), u"2_nick.up.sql"_s,
                  "ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX users_nick ON users (nickname);\n");
        writeFile(dir.path(), u"2_nick.down.sql"_s, "DROP INDEX users_nick;\nALTER TABLE users DROP COLUMN nickname;\n");
        writeFile(dir.path(), u"3_log.up.sql"_s, "CREATE TABLE log (x int);\n");
        writeFile(dir.path(), u"3_log.down.sql"_s,
                  "TRUNCATE log;\nDELETE FROM users;\nDELETE FROM users WHERE id < 0;\nDROP TABLE public.log;\n");
        const ConnectParams db = PgFixture::newDatabase(u"downloss"_s);
        QCOMPARE(runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}).exitCode, 0);
        auto conn = PgFixture::connect(db);

        // Without a terminal and without --yes: the plan and its data loss, then the refusal.
        CliResult r = runCli({u"down"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--target"_s, u"1"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"data loss: drops column users.nickname (statement 2, line 2) in 2_nick.down.sql"_s), qPrintable(r.err));
        QVERIFY(r.err.indexOf(u"data loss:"_s) < r.err.indexOf(u"not confirmed"_s));
        QVERIFY(tableExists(*conn, u"log"_s));

        r = runCli({u"down"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--target"_s, u"1"_s, u"--yes"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const QString &line : {u"data loss: drops column users.nickname (statement 2, line 2) in 2_nick.down.sql"_s,
                                    u"data loss: truncates log (statement 1, line 1) in 3_log.down.sql"_s,
                                    u"data loss: deletes every row of users (statement 2, line 2) in 3_log.down.sql"_s,
                                    u"data loss: drops table public.log (statement 4, line 4) in 3_log.down.sql"_s})
            QVERIFY2(r.err.contains(line), qPrintable(line + u"\n"_s + r.err));
        QVERIFY(!r.err.contains(u"users_nick (statement"_s));         // an index holds no data
        QVERIFY(!r.err.contains(u"statement 3, line 3) in 3_log"_s)); // DELETE with WHERE
        QVERIFY(!r.err.contains(u"drops table users"_s));             // 1 is not reverted
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject plan = o[u"plan"_s].toObject();
        QVERIFY(plan[u"data_loss"_s].toBool());
        const QJsonArray steps = plan[u"revert"_s].toArray();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps[0].toObject()[u"version"_s].toString(), u"3"_s);
        QCOMPARE(steps[0].toObject()[u"data_loss"_s].toArray().size(), 3);
        QCOMPARE(steps[1].toObject()[u"data_loss"_s].toArray()[0].toObject()[u"object"_s].toString(), u"users.nickname"_s);
        QCOMPARE(o[u"reverted"_s].toArray().size(), 2);
        QVERIFY(!tableExists(*conn, u"log"_s));
    }
};

QTEST_GUILESS_MAIN(TestMigrateCliReport)
#include "test_migrate_cli_report.moc"
