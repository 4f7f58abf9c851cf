// Databases that other tools migrated: sqlx, Flyway, golang-migrate, plain tables (seeds 000, 001, 004).
// Each fixture is built from the tool's own DDL and checksum algorithm; dbops runs as a real process.
#include "core/db/pgconnection.h"
#include "core/migrate/checksum.h"
#include "core/migrate/toolkeys.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/pgfixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    QJsonObject infoJson(const ConnectParams &db, const QString &dir, const QStringList &extra = {})
    {
        const CliResult r = runCli(QStringList{u"info"_s, u"--db"_s, url(db), u"--migrations"_s, dir, u"--json"_s} + extra);
        if (r.exitCode != 0)
            qWarning("info failed (%d): %s", r.exitCode, qPrintable(r.err));
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

    QJsonObject entry(const QJsonObject &info, const QString &version)
    {
        for (const QJsonValue &v : info[u"migrations"_s].toArray())
            if (v.toObject()[u"version"_s].toString() == version)
                return v.toObject();
        return {};
    }

    QStringList cli(const ConnectParams &db, const QString &dir, QStringList args)
    {
        return args << u"--db"_s << url(db) << u"--migrations"_s << dir;
    }

    // Seed 004's table, as its document defines it (MySQL's inline INDEX as a CREATE INDEX).
    void createSeed004Table(PgConnection &conn)
    {
        conn.exec(u"CREATE TABLE wpp_sync_migrations (id VARCHAR(255) PRIMARY KEY, description TEXT NOT NULL, "
                  u"executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)"_s);
        conn.exec(u"CREATE INDEX idx_executed_at ON wpp_sync_migrations (executed_at)"_s);
    }

    void writeSeed004Files(const QString &dir)
    {
        writeFile(dir, u"2026-02-03-001-add-bot-id-column.sql"_s,
                  "-- description: Add bot_id column to wpp_chats table\nALTER TABLE wpp_chats ADD COLUMN bot_id int;\n");
        writeFile(dir, u"2026-02-04-001-add-priority-column.sql"_s,
                  "-- dbops:no-transaction\n-- Add priority column to wpp_chats table\n-- (second comment line)\n"
                  "ALTER TABLE wpp_chats ADD COLUMN priority varchar(20);\n");
        writeFile(dir, u"2026-02-05-001-add-sector-index.sql"_s,
                  "CREATE INDEX wpp_chats_bot ON wpp_chats (bot_id); -- not a description\n");
    }

    // Seed 001: schema_migrations(name), 12 rows; returns the folder's file names.
    QStringList seed001(PgConnection &conn, const QString &dir)
    {
        copyDemoMigrations(dir);
        conn.exec(u"CREATE TABLE schema_migrations (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())"_s);
        const QStringList files = QDir(dir).entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
        for (const QString &f : files.mid(0, 12))
        {
            conn.exec(QString::fromUtf8(readFile(dir + u'/' + f)));
            conn.exec(u"INSERT INTO schema_migrations (name) VALUES ($1)"_s, {f});
        }
        return files;
    }

    void editSeed001File0011(const QString &dir)
    {
        // seed 001: "0011_jobs_system.sql (removido FK problemático)", edited after it ran.
        const QByteArray before = readFile(dir + u"/0011_jobs_system.sql"_s);
        writeFile(dir, u"0011_jobs_system.sql"_s, before + "\nCREATE INDEX jobs_status_extra ON jobs (status);\n");
    }

    // Seed 002's Go migrator: Version "001_create_initial_tables", Description, Checksum, and a timestamp.
    void seed002(PgConnection &conn, const QString &dir, const std::function<QString(const QByteArray &)> &checksum)
    {
        writeFile(dir, u"001_create_initial_tables.sql"_s, "CREATE TABLE users (id bigserial PRIMARY KEY, email text);\n");
        writeFile(dir, u"002_add_performance_indexes.sql"_s, "CREATE INDEX users_email ON users (email);\n");
        writeFile(dir, u"003_seed_initial_data.sql"_s, "INSERT INTO users (email) VALUES ('a@example.com');\n");
        conn.exec(u"CREATE TABLE schema_migrations (version varchar(255) PRIMARY KEY, description text, checksum varchar(64) NOT NULL, "
                  u"applied_at timestamptz NOT NULL DEFAULT now(), app_instance text)"_s);
        for (const QString &f : QDir(dir).entryList({u"*.sql"_s}, QDir::Files, QDir::Name))
        {
            const QByteArray bytes = readFile(dir + u'/' + f);
            conn.exec(QString::fromUtf8(bytes));
            conn.exec(u"INSERT INTO schema_migrations (version, description, checksum, app_instance) VALUES ($1, $2, $3, 'pod-1')"_s,
                      {f.chopped(4), u"Criar tabelas"_s, checksum(bytes)});
        }
    }
}

class TestForeign final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void knownLockKeysAndChecksums()
    {
        QCOMPARE(crc32("123456789"), quint32(0xCBF43926));
        QCOMPARE(sqlxLockKey(u"postgres"_s), Q_INT64_C(368907709894077238));
        QCOMPARE(flywayLockKey(u"public"_s, u"flyway_schema_history"_s), Q_INT64_C(77433833903597));
        QCOMPARE(golangMigrateLockKey(u"public"_s, u"schema_migrations"_s, u"postgres"_s), Q_INT64_C(143310882));
        // Flyway's checksum ignores line terminators and a BOM, by design.
        const QByteArray sql = "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\n";
        QCOMPARE(flywayChecksum(toCrlf(sql)), flywayChecksum(sql));
        QCOMPARE(flywayChecksum(addBom(sql)), flywayChecksum(sql));
        QCOMPARE(flywayChecksum(sql), qint32(crc32("CREATE TABLE a (x int);INSERT INTO a VALUES (1);")));
        QVERIFY(flywayChecksum("SELECT 2;") != flywayChecksum("SELECT 1;"));
    }

    void sqlxCrlfScenario()
    {
        // An app migrated with sqlx; later git on Windows converted the files to CRLF (seed 000's VersionMismatch).
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"sqlx"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ "
                   u"NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)"_s);
        const QStringList files = QDir(dir.path()).entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
        for (const QString &f : files.mid(0, 12))
        {
            const QByteArray bytes = readFile(dir.path() + u'/' + f);
            conn->exec(QString::fromUtf8(bytes));
            conn->exec(
                u"INSERT INTO _sqlx_migrations VALUES ($1::bigint, $2, now(), true, $3, 1234567)"_s,
                {f.left(4).toInt(), f.mid(5).chopped(4).replace(u'_', u' '), QCryptographicHash::hash(bytes, QCryptographicHash::Sha384)});
        }
        // 0011 converted to CRLF; 0012's SQL really changed.
        writeFile(dir.path(), u"0011_jobs_system.sql"_s, toCrlf(readFile(dir.path() + u"/0011_jobs_system.sql"_s)));
        writeFile(
            dir.path(), u"0012_backup_system.sql"_s,
            readFile(dir.path() + u"/0012_backup_system.sql"_s)
                .replace("retention_days) VALUES ('nightly', '0 3 * * *', 14)", "retention_days) VALUES ('nightly', '0 3 * * *', 30)"));

        QJsonObject info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"sqlx"_s);
        QCOMPARE(entry(info, u"0010"_s)[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(entry(info, u"0011"_s)[u"state"_s].toString(), u"checksum_mismatch"_s);
        QCOMPARE(entry(info, u"0011"_s)[u"mismatch"_s].toString(), u"line endings only"_s);
        QCOMPARE(entry(info, u"0012"_s)[u"state"_s].toString(), u"checksum_mismatch"_s);
        QVERIFY(entry(info, u"0012"_s)[u"mismatch"_s].toString().startsWith(u"SQL changed"_s));
        QCOMPARE(entry(info, u"0013"_s)[u"state"_s].toString(), u"pending"_s);
        QCOMPARE(entry(info, u"0001"_s)[u"duration_ms"_s].toInt(), 1); // execution_time is in nanoseconds

        const QByteArray before12 = conn->exec(u"SELECT checksum FROM _sqlx_migrations WHERE version = 12"_s).value(0, 0).toByteArray();
        const CliResult repair = runCli(cli(db, dir.path(), {u"repair"_s, u"--yes"_s}));
        QCOMPARE(repair.exitCode, 1); // 0012 is left alone: its SQL changed
        QVERIFY2(repair.err.contains(u"0012"_s) && repair.err.contains(u"--accept-changed"_s), qPrintable(repair.err));
        QCOMPARE(conn->exec(u"SELECT checksum FROM _sqlx_migrations WHERE version = 11"_s).value(0, 0).toByteArray(),
                 QCryptographicHash::hash(readFile(dir.path() + u"/0011_jobs_system.sql"_s), QCryptographicHash::Sha384));
        QCOMPARE(conn->exec(u"SELECT checksum FROM _sqlx_migrations WHERE version = 12"_s).value(0, 0).toByteArray(), before12);
        info = infoJson(db, dir.path());
        QCOMPARE(entry(info, u"0011"_s)[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(entry(info, u"0012"_s)[u"state"_s].toString(), u"checksum_mismatch"_s);
    }

    void sqlxLockHeldByPsqlMakesDbopsWait()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"sqlxlock"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ "
                   u"NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)"_s);
        const qint64 key = sqlxLockKey(db.value(u"dbname"_s));
        // The application's migrator, played by psql, holds sqlx's lock.
        QProcess psql;
        psql.start(u"psql"_s, {u"-X"_s, u"-q"_s, u"-d"_s, url(db), u"-c"_s,
                               u"SET application_name = 'sqlx-app'; SELECT pg_advisory_lock(%1); SELECT pg_sleep(60)"_s.arg(key)});
        QVERIFY(psql.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            conn->exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"_s).value(0, 0).toInt() == 1, 60000);
        const CliResult waited = runCli(cli(db, dir.path(), {u"migrate"_s}),
                                        {u"MIGRATION_MAX_WAIT_TIME=2"_s, u"MIGRATION_LOCK_TIMEOUT=1"_s, u"MIGRATION_RETRY_BACKOFF=100"_s});
        QCOMPARE(waited.exitCode, 4);
        QVERIFY2(waited.err.contains(u"sqlx-app"_s), qPrintable(waited.err));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM _sqlx_migrations"_s).value(0, 0).toInt(), 0);

        // Started while psql holds it, dbops waits, then goes through once psql lets go.
        QProcess *dbopsProc = startCli(cli(db, dir.path(), {u"migrate"_s}), this);
        QByteArray dbopsErr; // dbops waits: it says so, and it is still running
        QTRY_VERIFY_WITH_TIMEOUT((dbopsErr += dbopsProc->readAllStandardError()).contains("waiting for the migration lock"), 60000);
        QCOMPARE(dbopsProc->state(), QProcess::Running);
        // End psql's session (killing the client alone would leave its backend asleep, holding the lock).
        conn->exec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sqlx-app'"_s);
        psql.waitForFinished();
        QVERIFY(dbopsProc->waitForFinished(60000));
        QCOMPARE(dbopsProc->exitCode(), 0);
        QVERIFY(QByteArray(dbopsErr + dbopsProc->readAllStandardError()).contains("sqlx-app"));
        const QueryResult rows = conn->exec(u"SELECT version, checksum, execution_time, success FROM _sqlx_migrations ORDER BY version"_s);
        QCOMPARE(rows.rowCount(), 2);
        QCOMPARE(rows.value(0, u"checksum"_s).toByteArray(),
                 QCryptographicHash::hash("CREATE TABLE a (x int);", QCryptographicHash::Sha384));
        QVERIFY(rows.value(0, u"execution_time"_s).toLongLong() > 1000); // nanoseconds
        QVERIFY(rows.value(1, u"success"_s).toBool());
    }

    void seed001PlainTable()
    {
        // schema_migrations(name) with rows inserted by hand; 0011's table created by hand without scheduled_for.
        QTemporaryDir dir;
        copyDemoMigrations(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"seed001"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE schema_migrations (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())"_s);
        const QStringList files = QDir(dir.path()).entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
        for (const QString &f : files.mid(0, 12))
        {
            conn->exec(QString::fromUtf8(readFile(dir.path() + u'/' + f)));
            conn->exec(u"INSERT INTO schema_migrations (name) VALUES ($1)"_s, {f});
        }
        QJsonObject info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"plain"_s);
        for (int v = 1; v <= 12; ++v)
            QCOMPARE(entry(info, u"%1"_s.arg(v, 4, 10, QLatin1Char('0')))[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(entry(info, u"0013"_s)[u"state"_s].toString(), u"pending"_s);

        const CliResult r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(u"1 migration(s) applied"_s));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM schema_migrations WHERE name = '0013_fix_jobs_scheduled_for.sql'"_s).value(0, 0).toInt(),
                 1);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM schema_migrations"_s).value(0, 0).toInt(), 13);
        QCOMPARE(
            conn->exec(u"SELECT count(*) FROM information_schema.columns WHERE table_name = 'jobs' AND column_name = 'scheduled_for'"_s)
                .value(0, 0)
                .toInt(),
            1);
        QVERIFY(conn->exec(u"SELECT to_regclass('dbops_schema_history') IS NULL"_s).value(0, 0).toBool());
    }

    void golangMigrateDirty()
    {
        QTemporaryDir dir;
        for (int v = 1; v <= 6; ++v)
        {
            writeFile(dir.path(), u"%1_t%1.up.sql"_s.arg(v), u"CREATE TABLE t%1 (x int);"_s.arg(v).toUtf8());
            writeFile(dir.path(), u"%1_t%1.down.sql"_s.arg(v), u"DROP TABLE t%1;"_s.arg(v).toUtf8());
        }
        const ConnectParams db = PgFixture::newDatabase(u"golang"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)"_s);
        conn->exec(u"CREATE TABLE t1 (x int); CREATE TABLE t2 (x int); CREATE TABLE t3 (x int); CREATE TABLE t4 (x int); "
                   u"CREATE TABLE t5 (x int); INSERT INTO schema_migrations VALUES (5, true)"_s);
        QJsonObject info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"golang-migrate"_s);
        QCOMPARE(entry(info, u"4"_s)[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(entry(info, u"5"_s)[u"state"_s].toString(), u"dirty"_s);
        QCOMPARE(entry(info, u"6"_s)[u"state"_s].toString(), u"pending"_s);

        QCOMPARE(runCli(cli(db, dir.path(), {u"migrate"_s})).exitCode, 1); // refuses while dirty
        // Repair clears it only after the DBA says what the migration's effects are.
        CliResult r = runCli(cli(db, dir.path(), {u"repair"_s, u"--yes"_s}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"--dirty=complete"_s), qPrintable(r.out + r.err));
        QVERIFY(conn->exec(u"SELECT dirty FROM schema_migrations"_s).value(0, 0).toBool());
        r = runCli(cli(db, dir.path(), {u"repair"_s, u"--yes"_s, u"--dirty"_s, u"complete"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!conn->exec(u"SELECT dirty FROM schema_migrations"_s).value(0, 0).toBool());
        r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QueryResult row = conn->exec(u"SELECT version, dirty FROM schema_migrations"_s);
        QCOMPARE(row.rowCount(), 1);
        QCOMPARE(row.value(0, 0).toInt(), 6);
        QVERIFY(!row.value(0, 1).toBool());
        // down moves the single row back, as golang-migrate would.
        r = runCli(cli(db, dir.path(), {u"down"_s, u"--target"_s, u"4"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(conn->exec(u"SELECT version FROM schema_migrations"_s).value(0, 0).toInt(), 4);
        QVERIFY(conn->exec(u"SELECT to_regclass('t5') IS NULL AND to_regclass('t6') IS NULL"_s).value(0, 0).toBool());
    }

    void twoHistoriesAreReportedNotGuessed()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = PgFixture::newDatabase(u"two"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ "
                   u"NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)"_s);
        conn->exec(u"CREATE TABLE app_migrations (name varchar(255) PRIMARY KEY, run_at timestamptz)"_s);
        CliResult r = runCli(cli(db, dir.path(), {u"info"_s}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"2 migration histories"_s) && r.err.contains(u"_sqlx_migrations"_s) && r.err.contains(u"app_migrations"_s),
                 qPrintable(r.err));
        QCOMPARE(runCli(cli(db, dir.path(), {u"migrate"_s})).exitCode, 2);
        QVERIFY(conn->exec(u"SELECT to_regclass('a') IS NULL"_s).value(0, 0).toBool());
        r = runCli(cli(db, dir.path(), {u"migrate"_s, u"--history-format"_s, u"sqlx"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM _sqlx_migrations"_s).value(0, 0).toInt(), 1);
    }

    void flywayRowsRepeatablesAndBaseline()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"V1__create_a.sql"_s, "CREATE TABLE a (x int);\n");
        writeFile(dir.path(), u"V1_1__create_b.sql"_s, "CREATE TABLE b (x int);\n");
        writeFile(dir.path(), u"V2__create_c.sql"_s, "CREATE TABLE c (x int);\n");
        writeFile(dir.path(), u"R__view.sql"_s, "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
        const ConnectParams db = PgFixture::newDatabase(u"flyway"_s);
        auto conn = PgFixture::connect(db);
        // Flyway's own DDL and rows: V1 and V1.1 applied.
        conn->exec(uR"(CREATE TABLE "flyway_schema_history" ("installed_rank" INT NOT NULL PRIMARY KEY, "version" VARCHAR(50),
                       "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL,
                       "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
                       "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL))"_s);
        conn->exec(u"CREATE TABLE a (x int); CREATE TABLE b (x int)"_s);
        conn->exec(
            u"INSERT INTO flyway_schema_history VALUES (1, '1', 'create a', 'SQL', 'V1__create_a.sql', $1::int, 'flyway', now(), 5, true), "
            u"(2, '1.1', 'create b', 'SQL', 'V1_1__create_b.sql', $2::int, 'flyway', now(), 5, true)"_s,
            {flywayChecksum("CREATE TABLE a (x int);\n"), flywayChecksum("CREATE TABLE b (x int);\n")});
        // Line endings never matter to Flyway's checksum.
        writeFile(dir.path(), u"V1__create_a.sql"_s, "CREATE TABLE a (x int);\r\n");
        QJsonObject info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"flyway"_s);
        QCOMPARE(entry(info, u"1"_s)[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(entry(info, u"1_1"_s)[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(entry(info, u"2"_s)[u"state"_s].toString(), u"pending"_s);

        CliResult r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QueryResult rows =
            conn->exec(u"SELECT installed_rank, version, type, script, checksum FROM flyway_schema_history ORDER BY installed_rank"_s);
        QCOMPARE(rows.rowCount(), 4);
        QCOMPARE(rows.text(2, u"version"_s), u"2"_s);
        QCOMPARE(rows.value(2, u"checksum"_s).toInt(), flywayChecksum("CREATE TABLE c (x int);\n"));
        QVERIFY(rows.isNull(3, u"version"_s)); // the repeatable
        QCOMPARE(rows.text(3, u"script"_s), u"R__view.sql"_s);

        // A changed repeatable runs again; an unchanged one does not.
        QVERIFY(runCli(cli(db, dir.path(), {u"migrate"_s})).out.contains(u"Nothing to apply"_s));
        writeFile(dir.path(), u"R__view.sql"_s, "CREATE OR REPLACE VIEW v AS SELECT 1 AS one, 2 AS two;\n");
        bool rerun = false;
        for (const QJsonValue &v : infoJson(db, dir.path())[u"migrations"_s].toArray())
            rerun |= v.toObject()[u"script"_s].toString() == u"R__view.sql"_s && v.toObject()[u"state"_s].toString() == u"pending"_s;
        QVERIFY(rerun);
        r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0 && r.out.contains(u"1 migration(s) applied"_s), qPrintable(r.out + r.err));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM information_schema.columns WHERE table_name = 'v'"_s).value(0, 0).toInt(), 2);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM flyway_schema_history WHERE version IS NULL"_s).value(0, 0).toInt(), 2);
    }

    void adoptSeed004TrackingTable()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"2026-02-03-001-add-bot-id-column.sql"_s, "ALTER TABLE wpp_chats ADD COLUMN bot_id int;");
        writeFile(dir.path(), u"2026-02-04-001-add-priority-column.sql"_s, "ALTER TABLE wpp_chats ADD COLUMN priority varchar(20);");
        writeFile(dir.path(), u"2026-02-05-001-add-sector-index.sql"_s, "CREATE INDEX wpp_chats_bot ON wpp_chats (bot_id);");
        const ConnectParams db = PgFixture::newDatabase(u"seed004"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE wpp_chats (id serial PRIMARY KEY, bot_id int, priority varchar(20))"_s);
        conn->exec(u"CREATE TABLE wpp_sync_migrations (id varchar(255) PRIMARY KEY, description text NOT NULL, "
                   u"executed_at timestamp DEFAULT CURRENT_TIMESTAMP)"_s);
        conn->exec(u"INSERT INTO wpp_sync_migrations (id, description) VALUES "
                   u"('2026-02-03-001-add-bot-id-column', 'Add bot_id column to wpp_chats table'), "
                   u"('2026-02-04-001-add-priority-column', 'Add priority column to wpp_chats table')"_s);
        QJsonObject info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"plain"_s);
        QCOMPARE(entry(info, u"2026-02-04-001"_s)[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(entry(info, u"2026-02-05-001"_s)[u"state"_s].toString(), u"pending"_s);

        CliResult r = runCli(cli(db, dir.path(), {u"adopt"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE type = 'SQL'"_s).value(0, 0).toInt(), 2);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE type = 'REPAIR' AND description LIKE 'adopted from plain%'"_s)
                     .value(0, 0)
                     .toInt(),
                 1);
        QCOMPARE(conn->exec(u"SELECT description FROM dbops_schema_history WHERE version = '2026-02-03-001'"_s).value(0, 0).toString(),
                 u"Add bot_id column to wpp_chats table"_s);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM wpp_sync_migrations"_s).value(0, 0).toInt(), 2); // left for the app

        info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"dbops"_s);
        QCOMPARE(entry(info, u"2026-02-03-001"_s)[u"state"_s].toString(), u"applied"_s);
        r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE version = '2026-02-05-001'"_s).value(0, 0).toInt(), 1);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM wpp_sync_migrations"_s).value(0, 0).toInt(), 2);
        // A second adopt is refused.
        QCOMPARE(runCli(cli(db, dir.path(), {u"adopt"_s, u"--yes"_s})).exitCode, 2);
    }

    void seed004EmptyTableGetsTheToolsIds()
    {
        // An empty wpp_sync_migrations: the application looks its migrations up by
        // '2026-02-03-001-add-bot-id-column' (no .sql) and shows `description` to people.
        QTemporaryDir dir;
        writeSeed004Files(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"seed004empty"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE wpp_chats (id serial PRIMARY KEY)"_s);
        createSeed004Table(*conn);
        QCOMPARE(infoJson(db, dir.path())[u"history_format"_s].toString(), u"plain"_s);

        const CliResult r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QueryResult rows = conn->exec(u"SELECT id, description FROM wpp_sync_migrations ORDER BY id"_s);
        QCOMPARE(rows.rowCount(), 3);
        QCOMPARE(rows.value(0, 0).toString(), u"2026-02-03-001-add-bot-id-column"_s);
        QCOMPARE(rows.value(1, 0).toString(), u"2026-02-04-001-add-priority-column"_s);
        QCOMPARE(rows.value(2, 0).toString(), u"2026-02-05-001-add-sector-index"_s);
        QCOMPARE(rows.value(0, 1).toString(), u"Add bot_id column to wpp_chats table"_s);   // "-- description:"
        QCOMPARE(rows.value(1, 1).toString(), u"Add priority column to wpp_chats table"_s); // first comment line
        QCOMPARE(rows.value(2, 1).toString(), u"add sector index"_s);                       // from the file name
        // The application's own lookup finds them; dbops agrees nothing is pending.
        QCOMPARE(
            conn->exec(u"SELECT count(*) FROM wpp_sync_migrations WHERE id = '2026-02-03-001-add-bot-id-column'"_s).value(0, 0).toInt(), 1);
        const QJsonObject info = infoJson(db, dir.path());
        for (const QString &v : {u"2026-02-03-001"_s, u"2026-02-04-001"_s, u"2026-02-05-001"_s})
            QCOMPARE(entry(info, v)[u"state"_s].toString(), u"applied"_s);
        QVERIFY(conn->exec(u"SELECT to_regclass('dbops_schema_history') IS NULL"_s).value(0, 0).toBool());
    }

    void seed004NonEmptyTableKeepsItsStyle()
    {
        QTemporaryDir dir;
        writeSeed004Files(dir.path());
        const ConnectParams db = PgFixture::newDatabase(u"seed004rows"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE wpp_chats (id serial PRIMARY KEY, bot_id int)"_s);
        createSeed004Table(*conn);
        conn->exec(u"INSERT INTO wpp_sync_migrations (id, description) VALUES "
                   u"('2026-02-03-001-add-bot-id-column', 'Add bot_id column to wpp_chats table')"_s);
        const CliResult r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"2 migration(s) applied"_s), qPrintable(r.out));
        const QueryResult rows = conn->exec(u"SELECT id, description FROM wpp_sync_migrations ORDER BY id"_s);
        QCOMPARE(rows.rowCount(), 3);
        QCOMPARE(rows.value(1, 0).toString(), u"2026-02-04-001-add-priority-column"_s);
        QCOMPARE(rows.value(1, 1).toString(), u"Add priority column to wpp_chats table"_s);
        QCOMPARE(rows.value(2, 0).toString(), u"2026-02-05-001-add-sector-index"_s);
    }

    void adoptPlainRecordsChecksumsOnRequest()
    {
        QTemporaryDir dir;
        const ConnectParams db = PgFixture::newDatabase(u"adoptsums"_s);
        auto conn = PgFixture::connect(db);
        seed001(*conn, dir.path());
        // Before: the plain history says it keeps no checksums instead of passing for valid.
        QJsonObject info = infoJson(db, dir.path());
        QVERIFY2(QJsonDocument(info[u"warnings"_s].toArray()).toJson().contains("keeps no checksums"),
                 QJsonDocument(info).toJson().constData());
        QCOMPARE(info[u"unchecked"_s].toArray().size(), 12);

        CliResult r = runCli(cli(db, dir.path(), {u"adopt"_s, u"--yes"_s, u"--record-checksums"_s, u"--json"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject adopted = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(adopted[u"record_checksums"_s].toBool(), true);
        QCOMPARE(adopted[u"checksums_recorded_from_files"_s].toInt(), 12);
        QVERIFY(adopted[u"checksum_note"_s].toString().startsWith(u"checksum adopted from the file on "_s));
        QVERIFY(adopted[u"checksum_note"_s].toString().endsWith(u", not verified"_s));
        QCOMPARE(adopted[u"without_checksum"_s].toArray().size(), 0);
        QCOMPARE(
            conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE type = 'SQL' AND checksum IS NOT NULL AND applied_sql IS NULL "
                       u"AND note LIKE 'checksum adopted from the file on %, not verified'"_s)
                .value(0, 0)
                .toInt(),
            12);
        // Who ran them and how long it took, the plain table never knew: unknown, not "adopted" or 0 ms.
        info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"dbops"_s);
        const QJsonObject e11 = entry(info, u"0011"_s);
        QCOMPARE(e11[u"state"_s].toString(), u"applied"_s);
        QVERIFY2(e11[u"note"_s].toString().contains(u"checksum adopted from the file on"_s), QJsonDocument(e11).toJson().constData());
        QVERIFY(e11[u"duration_ms"_s].isNull());
        QVERIFY(e11[u"applied_by"_s].isNull());
        QVERIFY(!info.contains(u"unchecked"_s));
        r = runCli(cli(db, dir.path(), {u"validate"_s}));
        QVERIFY2(r.exitCode == 0 && !r.out.contains(u"Not checked"_s), qPrintable(r.out + r.err));

        editSeed001File0011(dir.path());
        r = runCli(cli(db, dir.path(), {u"validate"_s}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"0011 was applied but its file 0011_jobs_system.sql changed since"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"checksum adopted from the file on"_s), qPrintable(r.out));
        QCOMPARE(entry(infoJson(db, dir.path()), u"0011"_s)[u"state"_s].toString(), u"checksum_mismatch"_s);
    }

    void adoptPlainWithoutChecksumsSaysSo()
    {
        QTemporaryDir dir;
        const ConnectParams db = PgFixture::newDatabase(u"adoptnosums"_s);
        auto conn = PgFixture::connect(db);
        seed001(*conn, dir.path());
        CliResult r = runCli(cli(db, dir.path(), {u"adopt"_s, u"--yes"_s, u"--json"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject adopted = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(adopted[u"record_checksums"_s].toBool(), false);
        QCOMPARE(adopted[u"checksums_recorded_from_files"_s].toInt(), 0);
        QCOMPARE(adopted[u"without_checksum"_s].toArray().size(), 12);
        QVERIFY(adopted[u"checksum_note"_s].isNull());

        editSeed001File0011(dir.path());
        r = runCli(cli(db, dir.path(), {u"validate"_s}));
        QCOMPARE(r.exitCode, 0); // nothing it can check disagrees, and it says what it cannot check
        QVERIFY2(r.out.contains(u"Not checked: 12 of them have no checksum"_s) && r.out.contains(u"0011"_s), qPrintable(r.out));
        const QJsonObject info = infoJson(db, dir.path());
        QCOMPARE(info[u"unchecked"_s].toArray().size(), 12);
        QVERIFY(entry(info, u"0011"_s)[u"note"_s].toString().contains(u"no checksum"_s));
        r = runCli(cli(db, dir.path(), {u"validate"_s, u"--json"_s}));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()[u"timeline"_s].toObject()[u"unchecked"_s].toArray().size(), 12);
    }

    void adoptRefusesAChangedFileItWouldHide()
    {
        // sqlx kept a checksum and the file no longer matches it: adopting would drop the mismatch.
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (id int);\n");
        const ConnectParams db = PgFixture::newDatabase(u"adoptchanged"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ "
                   u"NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)"_s);
        conn->exec(u"CREATE TABLE a (id int)"_s);
        conn->exec(u"INSERT INTO _sqlx_migrations VALUES (1, 'a', now(), true, $1, 1000)"_s,
                   {QCryptographicHash::hash("CREATE TABLE a (id int, extra int);\n", QCryptographicHash::Sha384)});
        const CliResult r = runCli(cli(db, dir.path(), {u"adopt"_s, u"--yes"_s, u"--record-checksums"_s}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"0001 (0001_a.sql)"_s) && r.err.contains(u"nothing was changed"_s), qPrintable(r.err));
        QVERIFY(conn->exec(u"SELECT to_regclass('dbops_schema_history') IS NULL"_s).value(0, 0).toBool());
    }

    void seed002ChecksumColumnIsDetectedAndValidated()
    {
        QTemporaryDir dir;
        const ConnectParams db = PgFixture::newDatabase(u"seed002sha"_s);
        auto conn = PgFixture::connect(db);
        seed002(*conn, dir.path(),
                [](const QByteArray &b) { return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex()); });
        QJsonObject info = infoJson(db, dir.path());
        QCOMPARE(info[u"history_format"_s].toString(), u"plain"_s);
        const QString warnings = QString::fromUtf8(QJsonDocument(info[u"warnings"_s].toArray()).toJson());
        QVERIFY2(warnings.contains(u"checksum column checksum of the plain history public.schema_migrations read as SHA-256 (hex)"_s),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(u"column(s) app_instance not interpreted"_s), qPrintable(warnings));
        QCOMPARE(entry(info, u"002"_s)[u"state"_s].toString(), u"applied"_s);
        QVERIFY(entry(info, u"002"_s)[u"duration_ms"_s].isNull()); // not -1
        QVERIFY(entry(info, u"002"_s)[u"applied_by"_s].isNull());
        QVERIFY(!info.contains(u"unchecked"_s));
        const CliResult text = runCli(cli(db, dir.path(), {u"info"_s}));
        QVERIFY2(text.exitCode == 0 && !text.out.contains(u"-1 ms"_s) && text.out.contains(u"—"_s), qPrintable(text.out));

        // A file edited after it ran is now a mismatch (it was invisible before).
        writeFile(dir.path(), u"002_add_performance_indexes.sql"_s, "CREATE UNIQUE INDEX users_email ON users (email);\n");
        info = infoJson(db, dir.path());
        QCOMPARE(entry(info, u"002"_s)[u"state"_s].toString(), u"checksum_mismatch"_s);
        QCOMPARE(entry(info, u"001"_s)[u"state"_s].toString(), u"applied"_s);
        QVERIFY2(QJsonDocument(info[u"warnings"_s].toArray()).toJson().contains("matches 2 of 3 row(s)"),
                 QJsonDocument(info).toJson().constData());
        QCOMPARE(runCli(cli(db, dir.path(), {u"validate"_s})).exitCode, 1);
        writeFile(dir.path(), u"002_add_performance_indexes.sql"_s, "CREATE INDEX users_email ON users (email);\n");

        // A new migration is written as the Go tool writes it: bare version, its checksum.
        writeFile(dir.path(), u"004_add_user_phone.sql"_s,
                  "-- Adicionar campo telefone para usuários\nALTER TABLE users ADD COLUMN phone varchar(20);\n");
        const CliResult r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QueryResult row = conn->exec(u"SELECT description, checksum FROM schema_migrations WHERE version = '004_add_user_phone'"_s);
        QCOMPARE(row.rowCount(), 1);
        QCOMPARE(row.value(0, 0).toString(), u"Adicionar campo telefone para usuários"_s);
        QCOMPARE(row.value(0, 1).toString(),
                 QString::fromLatin1(
                     QCryptographicHash::hash(readFile(dir.path() + u"/004_add_user_phone.sql"_s), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(entry(infoJson(db, dir.path()), u"004"_s)[u"state"_s].toString(), u"applied"_s);
    }

    void seed002UnknownChecksumIsSaidNotIgnoredSilently()
    {
        QTemporaryDir dir;
        const ConnectParams db = PgFixture::newDatabase(u"seed002unknown"_s);
        auto conn = PgFixture::connect(db);
        seed002(*conn, dir.path(),
                [](const QByteArray &b) { return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha1).toHex()); });
        const QJsonObject info = infoJson(db, dir.path());
        const QString warnings = QString::fromUtf8(QJsonDocument(info[u"warnings"_s].toArray()).toJson());
        QVERIFY2(warnings.contains(
                     u"checksum column checksum of the plain history public.schema_migrations ignored: its algorithm is unknown"_s),
                 qPrintable(warnings));
        QCOMPARE(entry(info, u"001"_s)[u"state"_s].toString(), u"applied"_s);
        QCOMPARE(info[u"unchecked"_s].toArray().size(), 3);
        const CliResult r = runCli(cli(db, dir.path(), {u"validate"_s}));
        QVERIFY2(r.exitCode == 0 && r.out.contains(u"Not checked: 3"_s), qPrintable(r.out));
    }

    void seed001EmptyTableKeepsFileNames()
    {
        // seed 001's schema_migrations(name) holds '0011_jobs_system.sql': an empty one gets file names.
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_first.sql"_s, "CREATE TABLE first (id int);\n");
        const ConnectParams db = PgFixture::newDatabase(u"seed001empty"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TABLE schema_migrations (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())"_s);
        const CliResult r = runCli(cli(db, dir.path(), {u"migrate"_s}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(conn->exec(u"SELECT name FROM schema_migrations"_s).value(0, 0).toString(), u"0001_first.sql"_s);
    }
};

QTEST_GUILESS_MAIN(TestForeign)
#include "test_foreign.moc"
