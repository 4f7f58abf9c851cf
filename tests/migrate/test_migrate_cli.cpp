// The migration CLI as real child processes against a real PostgreSQL: concurrency, crashes,
// the lock wait, exit codes and bad input.
#include "core/db/pgconnection.h"
#include "core/migrate/dbopshistory.h"
#include "tests/migrate/migratetestutil.h"
#include "tests/support/pgfixture.h"

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

namespace
{
    QString url(const ConnectParams &db)
    {
        return PgFixture::sandbox().url(db.value(u"dbname"_s));
    }

    bool tableExists(PgConnection &conn, const QString &name)
    {
        return conn.exec(u"SELECT to_regclass($1) IS NOT NULL"_s, {name}).value(0, 0).toBool();
    }
}

class TestMigrateCli final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY2(!PgFixture::cliPath().isEmpty(), "DBOPS_CLI is not set");
    }

    void helpForEveryCommand_data()
    {
        QTest::addColumn<QString>("command");
        for (const char *c : {"info", "migrate", "validate", "repair", "baseline", "down"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }

    void helpForEveryCommand()
    {
        QFETCH(QString, command);
        const CliResult r = runCli({command, u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"Usage: dbops "_s + command), qPrintable(r.out));
        QVERIFY(r.out.contains(u"--migrations"_s));
    }

    void sixteenConcurrentMigratorsApplyEachMigrationOnce()
    {
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"conc"_s);
        QList<QProcess *> procs;
        for (int i = 0; i < 16; ++i)
            procs << startCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}, this);
        for (QProcess *p : procs)
        {
            QVERIFY(p->waitForFinished(120000));
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0, p->readAllStandardError().constData());
        }
        auto conn = PgFixture::connect(db);
        const QueryResult h = conn->exec(u"SELECT version, count(*) AS n, bool_and(success) AS ok FROM dbops_schema_history "
                                         u"GROUP BY version ORDER BY version"_s);
        QCOMPARE(h.rowCount(), 13);
        for (int i = 0; i < h.rowCount(); ++i)
        {
            QCOMPARE(h.value(i, u"n"_s).toInt(), 1);
            QVERIFY(h.value(i, u"ok"_s).toBool());
        }
        const CliResult v = runCli({u"validate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QCOMPARE(v.exitCode, 0);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"_s).value(0, 0).toInt(), 0);
        qDeleteAll(procs);
    }

    void killNineInsideATransactionalMigrationLeavesNothing()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        // Sleeps for as long as the database setting says: 30 s for the crash, 0 for the next run.
        writeFile(dir.path(), u"2_slow.sql"_s,
                  "CREATE TABLE slow (x int);\nINSERT INTO slow VALUES (1);\n"
                  "SELECT pg_sleep(COALESCE(current_setting('dbops_test.sleep', true), '0')::float);\n");
        const ConnectParams db = PgFixture::newDatabase(u"kill"_s);
        auto conn = PgFixture::connect(db);
        const QString name = db.value(u"dbname"_s);
        conn->exec(u"ALTER DATABASE "_s + conn->escapeIdentifier(name) + u" SET dbops_test.sleep = '30'"_s);

        QProcess *p = startCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}, this);
        QVERIFY(p->waitForStarted());
        // Wait until the migrator sits inside pg_sleep.
        QTRY_VERIFY_WITH_TIMEOUT(conn->exec(u"SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(COALESCE%' "
                                            u"AND state = 'active' AND pid <> pg_backend_pid()"_s)
                                         .value(0, 0)
                                         .toInt() == 1, 60000);
        ::kill(pid_t(p->processId()), SIGKILL);
        QVERIFY(p->waitForFinished(10000));
        QCOMPARE(int(p->exitStatus()), int(QProcess::CrashExit));
        // The server notices the dead client and rolls back; its session and lock go with it.
        QTRY_COMPARE_WITH_TIMEOUT(conn->exec(u"SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'dbops migrate%'"_s)
                                      .value(0, 0)
                                      .toInt(),
                                  0, 60000);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"_s).value(0, 0).toInt(), 0);
        QVERIFY(!tableExists(*conn, u"slow"_s));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE version = '2'"_s).value(0, 0).toInt(), 0);

        conn->exec(u"ALTER DATABASE "_s + conn->escapeIdentifier(name) + u" SET dbops_test.sleep = '0'"_s);
        const CliResult again = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(tableExists(*conn, u"slow"_s));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM slow"_s).value(0, 0).toInt(), 1);
    }

    void waiterNamesTheHolderAndExitsFour()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"wait"_s);
        auto holder = PgFixture::connect(db);
        holder->exec(u"SET application_name = 'app-instance-7'"_s);
        const qint64 key = DbopsHistory::lockKeyFor(holder->database(), u"public"_s, u"dbops_schema_history"_s);
        holder->exec(u"SELECT pg_advisory_lock($1::bigint)"_s, {QString::number(key)});
        QElapsedTimer t;
        t.start();
        const CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()},
                                   {u"MIGRATION_MAX_WAIT_TIME=2"_s, u"MIGRATION_LOCK_TIMEOUT=1"_s, u"MIGRATION_RETRY_BACKOFF=100"_s});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(t.elapsed() >= 1900 && t.elapsed() < 15000);
        const QString pid = QString::number(holder->backendPid());
        QVERIFY2(r.err.contains(u"held by pid "_s + pid), qPrintable(r.err));
        QVERIFY(r.err.contains(u"app-instance-7"_s));
        QVERIFY(!tableExists(*holder, u"a"_s));
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
        const CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--dry-run"_s, u"--target"_s, u"0003"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"3 migration(s) would be applied"_s));
        QVERIFY(r.out.indexOf(u"CREATE TABLE users"_s) < r.out.indexOf(u"CREATE TABLE subjects"_s));
        QVERIFY(!r.out.contains(u"0004"_s));
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
    }

    void cannotConnectExitsThree()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "SELECT 1;");
        const CliResult r = runCli({u"info"_s, u"--db"_s, u"host=127.0.0.1 port=1 dbname=x connect_timeout=2"_s, u"--migrations"_s, dir.path()});
        QCOMPARE(r.exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(TestMigrateCli)
#include "test_migrate_cli.moc"
