// The migration CLI as real child processes against a real PostgreSQL: concurrency, crashes,
// the lock wait, timeouts and exit codes (test_migrate_cli_report has bad input and what it prints).
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

    void transactionControlIsExit2NamingFileAndLine()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (x int);\nSAVEPOINT s1;\nINSERT INTO a VALUES (1);\n");
        const ConnectParams db = PgFixture::newDatabase(u"txctl_cli"_s);
        for (const QString &extra : {u"--json"_s, u"--dry-run"_s})
        {
            const CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), extra});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(u"0001_a.sql:2: transaction control in a migration file: 0001_a.sql line 2, statement 2: "
                                    u"SAVEPOINT; nothing was applied"_s),
                     qPrintable(r.err));
            QVERIFY2(r.err.contains(u"HINT: dbops runs each migration in its own transaction"_s), qPrintable(r.err));
            QVERIFY2(r.err.contains(u"remove the file's own transaction control"_s), qPrintable(r.err));
        }
        auto conn = PgFixture::connect(db);
        QVERIFY(!tableExists(*conn, u"a"_s));
        QVERIFY(!tableExists(*conn, u"dbops_schema_history"_s));
    }

    void markAppliedByHandIsRecordedAsSuch()
    {
        // Seed 001: "we ran 0002 by hand"; dbops records it as that, never as "applied by dbops".
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"0002_jobs.sql"_s, "CREATE TABLE jobs (id int);");
        writeFile(dir.path(), u"0003_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"markapplied"_s);
        const auto cli = [&](QStringList args) { return runCli(args << u"--db"_s << url(db) << u"--migrations"_s << dir.path()); };
        QCOMPARE(cli({u"migrate"_s, u"--target"_s, u"0001"_s}).exitCode, 0);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE jobs (id int)"_s);

        // Bad input changes nothing: no reason, an unknown version, an applied one, a reason alone, no --yes without a terminal.
        CliResult r = cli({u"repair"_s, u"--mark-applied"_s, u"0002"_s, u"--yes"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--reason"_s), qPrintable(r.err));
        r = cli({u"repair"_s, u"--mark-applied"_s, u"0099"_s, u"--reason"_s, u"x"_s, u"--yes"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--mark-applied 0099: no such migration"_s) && r.err.contains(u"0003 (pending)"_s), qPrintable(r.err));
        r = cli({u"repair"_s, u"--mark-applied"_s, u"0001"_s, u"--reason"_s, u"x"_s, u"--yes"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"0001_a.sql is applied, not pending"_s), qPrintable(r.err));
        QCOMPARE(cli({u"repair"_s, u"--reason"_s, u"x"_s}).exitCode, 2);
        r = cli({u"repair"_s, u"--mark-applied"_s, u"0002"_s, u"--reason"_s, u"x"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"use --yes in scripts"_s), qPrintable(r.err));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history"_s).value(0, 0).toInt(), 1);

        r = cli({u"repair"_s, u"--mark-applied"_s, u"0002"_s, u"--reason"_s, u"we ran 0002 by hand (seed 001)"_s, u"--yes"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"Mark 0002 (0002_jobs.sql) as applied by hand, without running it"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"why: we ran 0002 by hand (seed 001)"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"database role %1"_s.arg(db.value(u"user"_s))), qPrintable(r.err));
        QVERIFY2(r.out.contains(u"Marked 0002 (0002_jobs.sql) as applied by hand; recorded in the dbops history"_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"as a row that says it was marked by hand"_s));
        const QueryResult row = conn->exec(u"SELECT success, applied_sql IS NULL, dbops_version, installed_by, os_user FROM "
                                           u"dbops_schema_history WHERE version = '0002' AND type = 'SQL'"_s);
        QCOMPARE(row.rowCount(), 1);
        QVERIFY(row.value(0, 0).toBool());
        QVERIFY(row.value(0, 1).toBool()); // dbops applied no SQL
        QVERIFY(row.value(0, 2).toString().endsWith(u", marked by hand"_s));
        QCOMPARE(row.value(0, 3).toString(), db.value(u"user"_s));
        QVERIFY(!row.value(0, 4).toString().isEmpty());
        QVERIFY(conn->exec(u"SELECT description FROM dbops_schema_history WHERE version = '0002' AND type = 'REPAIR'"_s)
                    .value(0, 0)
                    .toString()
                    .contains(u"we ran 0002 by hand (seed 001)"_s));

        // info and validate show it applied, marked by hand; migrate runs only 0003.
        r = cli({u"info"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QJsonObject e;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"migrations"_s).toArray())
            if (v.toObject().value(u"version"_s).toString() == u"0002"_s)
                e = v.toObject();
        QCOMPARE(e.value(u"state"_s).toString(), u"applied"_s);
        QCOMPARE(e.value(u"marked_by_hand"_s).toBool(), true);
        QVERIFY2(e.value(u"note"_s).toString().contains(u"marked by hand by %1"_s.arg(db.value(u"user"_s)))
                     && e.value(u"note"_s).toString().endsWith(u": we ran 0002 by hand (seed 001)"_s),
                 qPrintable(e.value(u"note"_s).toString()));
        r = cli({u"info"_s});
        QVERIFY2(r.out.contains(u"marked by hand"_s), qPrintable(r.out));
        QCOMPARE(cli({u"validate"_s}).exitCode, 0);
        r = cli({u"migrate"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(u"applied 0003"_s) && !r.out.contains(u"applied 0002"_s));
        // Audited (the CLI's store in its DBOPS_HOME).
        Store store(PgFixture::home() + u"/dbops.sqlite"_s);
        QVERIFY(store.open());
        auto recent = AuditLog(store).recent(50);
        QVERIFY(recent);
        bool audited = false;
        for (const AuditEntry &a : *recent)
            audited = audited
                      || (a.action == u"mark-applied"_s && a.outcome == u"ok"_s && a.details.contains(u"we ran 0002 by hand (seed 001)"_s));
        QVERIFY(audited);
    }

    void repairSaysWhereItIsRecorded_data()
    {
        QTest::addColumn<QString>("format");
        for (const char *f : {"dbops", "sqlx", "golang-migrate", "plain"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }

    void repairSaysWhereItIsRecorded()
    {
        QFETCH(QString, format);
        QTemporaryDir dir;
        const ConnectParams db = PgFixture::newDatabase(u"where"_s);
        const auto cli = [&](QStringList args) { return runCli(args << u"--db"_s << url(db) << u"--migrations"_s << dir.path()); };
        auto conn = PgFixture::connect(db);
        const QByteArray sql = "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\n";
        QStringList repair{u"repair"_s, u"--yes"_s, u"--json"_s};
        if (format == u"dbops"_s || format == u"sqlx"_s)
        {
            writeFile(dir.path(), u"0001_a.sql"_s, sql);
            if (format == u"dbops"_s)
                QCOMPARE(cli({u"migrate"_s}).exitCode, 0);
            else
            {
                conn->exec(u"CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on "
                           u"TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time "
                           u"BIGINT NOT NULL)"_s);
                conn->exec(QString::fromUtf8(sql));
                conn->exec(u"INSERT INTO _sqlx_migrations VALUES (1, 'a', now(), true, $1, 1000)"_s,
                           {QCryptographicHash::hash(sql, QCryptographicHash::Sha384)});
            }
            writeFile(dir.path(), u"0001_a.sql"_s, QByteArray(sql).replace("\n", "\r\n")); // repair realigns the checksum
        }
        else if (format == u"golang-migrate"_s)
        {
            writeFile(dir.path(), u"1_a.up.sql"_s, sql);
            writeFile(dir.path(), u"1_a.down.sql"_s, "DROP TABLE a;");
            conn->exec(u"CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)"_s);
            conn->exec(QString::fromUtf8(sql));
            conn->exec(u"INSERT INTO schema_migrations VALUES (1, true)"_s);
            repair << u"--dirty"_s << u"complete"_s;
        }
        else
        {
            // A plain table: repair has nothing it may change there, but --mark-applied writes to it.
            writeFile(dir.path(), u"0001_a.sql"_s, sql);
            writeFile(dir.path(), u"0002_b.sql"_s, "CREATE TABLE b (x int);");
            conn->exec(u"CREATE TABLE schema_migrations (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())"_s);
            conn->exec(QString::fromUtf8(sql));
            conn->exec(u"INSERT INTO schema_migrations (name) VALUES ('0001_a.sql')"_s);
            conn->exec(u"CREATE TABLE b (x int)"_s);
            repair = {u"repair"_s, u"--yes"_s, u"--mark-applied"_s, u"0002"_s, u"--reason"_s, u"ran by hand"_s};
        }
        const CliResult r = cli(repair);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        if (format == u"plain"_s)
        {
            QVERIFY2(r.out.contains(u"recorded in the plain history"_s)
                         && r.out.contains(u"as an applied row (the format cannot say it "
                                           u"was marked by hand)"_s)
                         && r.out.contains(u"recorded only in dbops' audit log"_s),
                     qPrintable(r.out));
            QCOMPARE(conn->exec(u"SELECT count(*) FROM schema_migrations WHERE name = '0002_b.sql'"_s).value(0, 0).toInt(), 1);
            return;
        }
        const QJsonObject plan = QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"plan"_s).toObject();
        QCOMPARE(plan.value(u"history_format"_s).toString(), format);
        QCOMPARE(plan.value(u"recorded_in_history"_s).toBool(), format == u"dbops"_s);
        const QString where = plan.value(u"recorded_in"_s).toString();
        if (format == u"dbops"_s)
        {
            QVERIFY2(where.startsWith(u"recorded in the dbops history"_s) && where.endsWith(u"and in dbops' audit log"_s),
                     qPrintable(where));
            QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE type = 'REPAIR'"_s).value(0, 0).toInt(), 1);
        }
        else
            QVERIFY2(where.contains(u"the %1 history"_s.arg(format))
                         && where.contains(u"keeps no record of repairs: recorded only in "
                                           u"dbops' audit log"_s),
                     qPrintable(where));
    }

    void sixteenConcurrentMigratorsApplyEachMigrationOnce()
    {
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"conc"_s);
        QList<QProcess *> procs;
        for (int i = 0; i < 16; ++i)
            procs << startCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}, this);
        auto conn = PgFixture::connect(db);
        for (QProcess *p : procs)
        {
            if (!p->waitForFinished(120000))
            {
                // Say where each migrator still running stands, and end them: left running they
                // would hold sessions that the next test waits to see gone.
                QString where = QString::fromUtf8(p->readAllStandardError());
                const QueryResult sessions = conn->exec(u"SELECT pid, state, wait_event_type, wait_event, left(query, 120) AS q "
                                                        u"FROM pg_stat_activity WHERE application_name LIKE 'dbops%'"_s);
                for (int r = 0; r < sessions.rowCount(); ++r)
                    where += u"\n%1 %2 %3/%4: %5"_s.arg(sessions.text(r, u"pid"_s), sessions.text(r, u"state"_s),
                                                        sessions.text(r, u"wait_event_type"_s), sessions.text(r, u"wait_event"_s),
                                                        sessions.text(r, u"q"_s));
                for (QProcess *q : procs)
                {
                    q->kill();
                    q->waitForFinished(10000);
                }
                qDeleteAll(procs);
                QFAIL(qPrintable(u"a migrator did not finish within 120 s: "_s + where));
            }
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0, p->readAllStandardError().constData());
        }
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
                                         .toInt()
                                     == 1,
                                 60000);
        ::kill(pid_t(p->processId()), SIGKILL);
        QVERIFY(p->waitForFinished(10000));
        QCOMPARE(int(p->exitStatus()), int(QProcess::CrashExit));
        // The server notices the dead client and rolls back; its session and lock go with it.
        QTRY_COMPARE_WITH_TIMEOUT(
            conn->exec(u"SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'dbops migrate%'"_s).value(0, 0).toInt(), 0,
            60000);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"_s).value(0, 0).toInt(), 0);
        QVERIFY(!tableExists(*conn, u"slow"_s));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE version = '2'"_s).value(0, 0).toInt(), 0);

        conn->exec(u"ALTER DATABASE "_s + conn->escapeIdentifier(name) + u" SET dbops_test.sleep = '0'"_s);
        const CliResult again = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(tableExists(*conn, u"slow"_s));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM slow"_s).value(0, 0).toInt(), 1);
    }

    void sigintMidMigrationSaysWhatWasAppliedAndWhatStaysPending_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("text") << false;
        QTest::newRow("json") << true;
    }

    void sigintMidMigrationSaysWhatWasAppliedAndWhatStaysPending()
    {
        QFETCH(bool, json);
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"0002_b.sql"_s, "CREATE TABLE b (x int);\nSELECT pg_sleep(60);\n");
        writeFile(dir.path(), u"0003_c.sql"_s, "CREATE TABLE c (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"sigint"_s);
        auto conn = PgFixture::connect(db);
        QStringList args{u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()};
        if (json)
            args << u"--json"_s;
        QProcess *p = startCli(args, this);
        QVERIFY(p->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(conn->exec(u"SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' "
                                            u"AND state = 'active' AND pid <> pg_backend_pid()"_s)
                                         .value(0, 0)
                                         .toInt()
                                     == 1,
                                 30000);
        ::kill(pid_t(p->processId()), SIGINT);
        QVERIFY(p->waitForFinished(30000));
        const QString out = QString::fromUtf8(p->readAllStandardOutput()), err = QString::fromUtf8(p->readAllStandardError());
        QCOMPARE(int(p->exitStatus()), int(QProcess::NormalExit));
        QCOMPARE(p->exitCode(), Error::make(ErrorCode::Cancelled, u"x"_s).exitCode());
        QVERIFY2(err.contains(u"cancelled: 1 migration(s) applied in this run (0001); 0002 (0002_b.sql) was in flight and was "
                              u"rolled back, nothing of it remains; 2 stay pending: 0002, 0003."_s),
                 qPrintable(err));
        if (json)
        {
            const QJsonObject o = QJsonDocument::fromJson(out.toUtf8()).object();
            QCOMPARE(o.value(u"cancelled"_s).toBool(), true);
            QCOMPARE(o.value(u"applied"_s).toArray().size(), 1);
            QCOMPARE(o.value(u"pending"_s).toArray(), QJsonArray({u"0002"_s, u"0003"_s}));
            QCOMPARE(o.value(u"failure"_s).toObject().value(u"rolled_back"_s).toBool(), true);
            QCOMPARE(o.value(u"failure"_s).toObject().value(u"version"_s).toString(), u"0002"_s);
        }
        else
            QVERIFY2(out.contains(u"applied 0001"_s), qPrintable(out));
        QVERIFY(tableExists(*conn, u"a"_s));
        QVERIFY(!tableExists(*conn, u"b"_s));
        QVERIFY(!tableExists(*conn, u"c"_s));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history"_s).value(0, 0).toInt(), 1);
        delete p;
    }

    void lockTimeoutNamesTheStatementAndTheHolderWithinMaxWait()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_t.sql"_s, "CREATE TABLE t (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"locktimeout"_s);
        QCOMPARE(runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path()}).exitCode, 0);
        writeFile(dir.path(), u"0002_alter.sql"_s, "SELECT 1;\n\nALTER TABLE t\n  ADD COLUMN y int;\n");
        auto holder = PgFixture::connect(db);
        holder->exec(u"SET application_name = 'the-holder'"_s);
        holder->exec(u"BEGIN"_s);
        holder->exec(u"LOCK TABLE t IN ACCESS EXCLUSIVE MODE"_s);
        const int holderPid = holder->backendPid();

        const int maxWaitSec = 3;
        QElapsedTimer timer;
        timer.start();
        const CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--sql-lock-timeout"_s, u"300"_s,
                                    u"--max-wait"_s, QString::number(maxWaitSec), u"--retry-backoff"_s, u"200"_s});
        const qint64 elapsed = timer.elapsed();
        holder->exec(u"ROLLBACK"_s);
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains(u"migration 0002 (0002_alter.sql) failed at statement 2, line 3"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"SQLSTATE 55P03"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"AccessExclusiveLock on t, held by pid %1 (user "_s.arg(holderPid)), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"application the-holder"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"LOCK TABLE t IN ACCESS EXCLUSIVE MODE"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"within MIGRATION_MAX_WAIT_TIME (3 s)"_s), qPrintable(r.err));
        // Retried within the budget, not past it (process start and connections get 3 s more).
        QVERIFY2(elapsed < maxWaitSec * 1000 + 3000, qPrintable(QString::number(elapsed)));
        auto conn = PgFixture::connect(db);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'y'"_s)
                     .value(0, 0)
                     .toInt(),
                 0);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history"_s).value(0, 0).toInt(), 1);
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

    void statementTimeoutAloneCancelsTheStatement()
    {
        // --statement-timeout was read only when --sql-lock-timeout was typed too.
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_slow.sql"_s, "CREATE TABLE slow (x int);\nSELECT pg_sleep(60);\n");
        const ConnectParams db = PgFixture::newDatabase(u"stmt"_s);
        QElapsedTimer t;
        t.start();
        const CliResult r = runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--statement-timeout"_s, u"500"_s});
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(t.elapsed() < 30000, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(r.err.contains(u"migration 2 (2_slow.sql) failed at statement 2, line 2"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"canceling statement due to statement timeout"_s), qPrintable(r.err));
        QVERIFY(r.err.contains(u"SQLSTATE 57014"_s));
        auto conn = PgFixture::connect(db);
        QVERIFY(tableExists(*conn, u"a"_s));
        QVERIFY(!tableExists(*conn, u"slow"_s));
        // A bad value is refused before anything runs.
        const CliResult bad =
            runCli({u"migrate"_s, u"--db"_s, url(db), u"--migrations"_s, dir.path(), u"--statement-timeout"_s, u"soon"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"--statement-timeout 'soon'"_s), qPrintable(bad.err));

        // down honours it too: a down file that sleeps is cancelled, named, and rolled back.
        QTemporaryDir downDir;
        writeFile(downDir.path(), u"1_t.up.sql"_s, "CREATE TABLE t (x int);\n");
        writeFile(downDir.path(), u"1_t.down.sql"_s, "DROP TABLE t;\nSELECT pg_sleep(60);\n");
        const ConnectParams db2 = PgFixture::newDatabase(u"stmtdown"_s);
        QCOMPARE(runCli({u"migrate"_s, u"--db"_s, url(db2), u"--migrations"_s, downDir.path()}).exitCode, 0);
        t.restart();
        const CliResult d = runCli({u"down"_s, u"--db"_s, url(db2), u"--migrations"_s, downDir.path(), u"--target"_s, u"0"_s, u"--yes"_s,
                                    u"--statement-timeout"_s, u"500"_s});
        QCOMPARE(d.exitCode, 5);
        QVERIFY2(t.elapsed() < 30000, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(d.err.contains(u"down 1 (1_t.down.sql) at statement 2, line 2, rolled back; it is still applied"_s), qPrintable(d.err));
        QVERIFY2(d.err.contains(u"canceling statement due to statement timeout"_s), qPrintable(d.err));
        auto conn2 = PgFixture::connect(db2);
        QVERIFY(tableExists(*conn2, u"t"_s));
    }

    void hungServerGivesUpWithinTheWaitBudget()
    {
        // Accepts TCP (the kernel completes the handshake) and never answers: libpq waits for the
        // server's reply. Nested retries used to hold migrate for minutes.
        HungListener hung;
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "SELECT 1;");
        const QString target = u"host=127.0.0.1 port=%1 dbname=x user=x"_s.arg(hung.port());
        QElapsedTimer t;
        t.start();
        const CliResult r = runCli({u"migrate"_s, u"--db"_s, target, u"--migrations"_s, dir.path(), u"--max-wait"_s, u"3"_s}, {}, 60000);
        const qint64 ms = t.elapsed();
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(ms >= 2500 && ms < 13000, qPrintable(QString::number(ms)));
        QVERIFY2(r.err.contains(u"gave up after"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"wait budget of 3.0 s"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"MIGRATION_MAX_WAIT_TIME"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"timeout expired"_s), qPrintable(r.err));

        // The URL's own connect_timeout is honoured within the budget.
        t.restart();
        const CliResult r2 = runCli({u"migrate"_s, u"--db"_s, target + u" connect_timeout=2"_s, u"--migrations"_s, dir.path(),
                                     u"--max-wait"_s, u"5"_s, u"--retry-backoff"_s, u"100"_s},
                                    {}, 60000);
        QCOMPARE(r2.exitCode, 3);
        QVERIFY2(t.elapsed() < 5000 + 10000, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(r2.err.contains(u"wait budget of 5.0 s"_s), qPrintable(r2.err));
        QVERIFY2(r2.err.contains(u"attempt(s)"_s), qPrintable(r2.err));
    }

    void cannotConnectExitsThree()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "SELECT 1;");
        const CliResult r =
            runCli({u"info"_s, u"--db"_s, u"host=127.0.0.1 port=1 dbname=x connect_timeout=2"_s, u"--migrations"_s, dir.path()});
        QCOMPARE(r.exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(TestMigrateCli)
#include "test_migrate_cli.moc"
