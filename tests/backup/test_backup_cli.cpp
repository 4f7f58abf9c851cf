// The backup CLI end to end (the built dbops, a private DBOPS_HOME): backup/backups/restore, exit
// codes, and the automatic pre-migration backup of production profiles.
#include "core/backup/toollocator.h"
#include "core/db/pgconnection.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/pgfixture.h"
#include "tests/support/wait.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QSet>
#include <QTest>
#include <QThread>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestBackupCli final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static QJsonObject json(const CliResult &r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

    /// pids of running pg_dump processes whose command line mentions `marker`.
    static QList<int> pgDumpPids(const QString &marker)
    {
        QList<int> pids;
        for (const QString &d : QDir(u"/proc"_s).entryList(QDir::Dirs))
        {
            bool ok = false;
            const int pid = d.toInt(&ok);
            if (!ok)
                continue;
            QFile f(u"/proc/%1/cmdline"_s.arg(pid));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            const QByteArray cmd = f.readAll();
            const QByteArray exe = cmd.left(cmd.indexOf('\0'));
            if (exe.endsWith("pg_dump") && cmd.contains(marker.toUtf8()))
            {
                QFile st(u"/proc/%1/stat"_s.arg(pid));
                if (st.open(QIODevice::ReadOnly) && st.readAll().contains(") Z "))
                    continue; // a zombie is gone
                pids << pid;
            }
        }
        return pids;
    }

    /// Waits until a pg_dump session of `db` waits on a lock (what the test's transaction holds).
    static bool waitForBlockedPgDump(const QString &db, int timeoutMs = 60000)
    {
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        return waitUntil(
            [&] {
                return admin
                           ->exec(u"SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg_dump' "
                                  u"AND wait_event_type = 'Lock'"_s,
                                  {db})
                           .rowCount()
                       > 0;
            },
            timeoutMs);
    }

    static QString addProfile(const ConnectParams &db, const QString &prefix, const QString &env)
    {
        const QString name = db.value(u"dbname"_s);
        const QString profile = prefix + name;
        const CliResult added =
            runCli({u"profiles"_s, u"add"_s, profile, u"--env"_s, env, u"--host"_s, PgFixture::sandbox().socketDir(), u"--port"_s,
                    QString::number(PgFixture::sandbox().port()), u"--dbname"_s, name, u"--user"_s, u"postgres"_s});
        if (added.exitCode != 0)
            qWarning("profiles add: %s", qPrintable(added.err));
        return profile;
    }

    static QJsonArray catalogOf(const QString &profile)
    {
        return json(runCli({u"backups"_s, u"--profile"_s, profile, u"--json"_s})).value(u"backups"_s).toArray();
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_dir.isValid());
    }

    void backupListVerifyRestore()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE n(x int); INSERT INTO n SELECT generate_series(1, 1234)"_s);
        const QString url = PgFixture::sandbox().url(db.value(u"dbname"_s));

        const CliResult b = runCli({u"backup"_s, u"--db"_s, url, u"--label"_s, u"nightly"_s, u"--json"_s});
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        const QJsonObject e = json(b);
        QCOMPARE(e.value(u"verification"_s).toString(), u"verified"_s);
        QCOMPARE(e.value(u"label"_s).toString(), u"nightly"_s);
        QCOMPARE(e.value(u"sha256"_s).toString().size(), 64);
        QCOMPARE(e.value(u"pg_dump_version"_s).toString().section(u'.', 0, 0), u"15"_s);
        QVERIFY(QFileInfo(e.value(u"path"_s).toString()).size() == e.value(u"size"_s).toInteger());
        const QString id = QString::number(e.value(u"id"_s).toInteger());

        const CliResult list = runCli({u"backups"_s, u"--json"_s});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QVERIFY(!json(list).value(u"backups"_s).toArray().isEmpty());
        QVERIFY2(runCli({u"backups"_s}).out.contains(u"nightly"_s), "the table lists the label");

        const CliResult v = runCli({u"backups"_s, u"verify"_s, id});
        QVERIFY2(v.exitCode == 0 && v.out.contains(u"verified"_s), qPrintable(v.out + v.err));

        const QString copy = db.value(u"dbname"_s) + u"_copy"_s;
        const CliResult r = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, copy});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(PgFixture::connect(PgFixture::sandbox().connectParams(copy))->exec(u"SELECT count(*) FROM n"_s).value(0, 0).toInt(), 1234);

        // Replace without the typed confirmation: refused, exit 2.
        const CliResult noConfirm = runCli({u"restore"_s, id, u"--db"_s, url, u"--replace"_s, copy});
        QCOMPARE(noConfirm.exitCode, 2);

        // A flipped byte: refused before anything is touched, exit 2.
        QFile f(e.value(u"path"_s).toString());
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        char c = 0;
        f.getChar(&c);
        f.seek(f.size() / 2);
        f.putChar(char(c ^ 0x01));
        f.close();
        const CliResult bad = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, u"never_cli"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"SHA-256"_s), qPrintable(bad.err));
    }

    void missingPgDumpIsAClearError()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_tools"_s);
        const CliResult r = runCli({u"backup"_s, u"--db"_s, PgFixture::sandbox().url(db.value(u"dbname"_s))},
                                   {u"DBOPS_PG_TOOLS_DIR="_s + m_dir.filePath(u"no-such-folder"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"postgresql-client-15"_s) && r.err.contains(u"PostgreSQL 15"_s), qPrintable(r.err));
    }

    void productionMigrateTakesAVerifiedBackupFirst()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_prod"_s);
        const QString name = db.value(u"dbname"_s);
        const QString profile = u"prod-"_s + name;
        const CliResult added =
            runCli({u"profiles"_s, u"add"_s, profile, u"--env"_s, u"production"_s, u"--host"_s, PgFixture::sandbox().socketDir(),
                    u"--port"_s, QString::number(PgFixture::sandbox().port()), u"--dbname"_s, name, u"--user"_s, u"postgres"_s});
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
        const QString migrations = m_dir.filePath(u"migrations-"_s + name);
        copyDemoMigrations(migrations);

        const CliResult m = runCli({u"migrate"_s, u"--profile"_s, profile, u"--migrations"_s, migrations, u"--confirm"_s, name});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        const QJsonArray entries = json(runCli({u"backups"_s, u"--profile"_s, profile, u"--json"_s})).value(u"backups"_s).toArray();
        QCOMPARE(entries.size(), 1);
        const QJsonObject e = entries[0].toObject();
        QCOMPARE(e.value(u"kind"_s).toString(), u"pre-migration"_s);
        QCOMPARE(e.value(u"verification"_s).toString(), u"verified"_s);
        const QString id = QString::number(e.value(u"id"_s).toInteger());
        auto conn = PgFixture::connect(db);
        const QueryResult rows =
            conn->exec(u"SELECT count(*) AS n, count(*) FILTER (WHERE backup_id = $1) AS ref FROM dbops_schema_history "
                       u"WHERE type = 'SQL'"_s,
                       {id});
        QVERIFY(rows.value(0, u"n"_s).toInt() > 0);
        QCOMPARE(rows.value(0, u"ref"_s).toInt(), rows.value(0, u"n"_s).toInt());

        // Switched off for the profile: no backup.
        QCOMPARE(runCli({u"backups"_s, u"policy"_s, u"--profile"_s, profile, u"--pre-migration"_s, u"off"_s}).exitCode, 0);
        writeFile(migrations, u"9999_extra.sql"_s, "CREATE TABLE extra_after_switch(x int);\n");
        const CliResult m2 = runCli({u"migrate"_s, u"--profile"_s, profile, u"--migrations"_s, migrations, u"--confirm"_s, name});
        QVERIFY2(m2.exitCode == 0, qPrintable(m2.err));
        QCOMPARE(json(runCli({u"backups"_s, u"--profile"_s, profile, u"--json"_s})).value(u"backups"_s).toArray().size(), 1);
    }

    /// Issue 10: four concurrent backups of one target share a folder; each syncs only its own
    /// files and the folder, so none fails on another's rename ("cannot open ... to sync it").
    void fourConcurrentBackupsOfOneTarget()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_conc"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE n(x int); INSERT INTO n SELECT generate_series(1, 20000)"_s);
        const QString profile = addProfile(db, u"conc-"_s, u"development"_s);
        QList<QProcess *> children;
        for (int i = 0; i < 4; ++i)
            children << startCli({u"backup"_s, u"--profile"_s, profile, u"--json"_s}, this);
        for (QProcess *p : std::as_const(children))
        {
            QVERIFY(p->waitForFinished(300000));
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0, p->readAllStandardError().constData());
        }
        qDeleteAll(children);
        const QJsonArray entries = catalogOf(profile);
        QCOMPARE(entries.size(), 4);
        QSet<QString> paths;
        for (const QJsonValue &v : entries)
        {
            QCOMPARE(v.toObject().value(u"verification"_s).toString(), u"verified"_s);
            paths << v.toObject().value(u"path"_s).toString();
            QVERIFY(QFileInfo::exists(v.toObject().value(u"path"_s).toString()));
        }
        QCOMPARE(paths.size(), 4);
    }

    /// Issue 10: 16 production migrators at once (a deploy of 16 instances) on 3 pending: all
    /// succeed, the migrations are applied once, and exactly one pre-migration backup is taken
    /// (by the one that applies; the others find nothing left under the lock and take none).
    /// Then: nothing pending takes none; a fresh verified backup after the last change is
    /// reused and named; a staging profile takes one only when its policy says on.
    void sixteenProductionMigratorsTakeOneBackup()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_p16"_s);
        const QString name = db.value(u"dbname"_s);
        const QString profile = addProfile(db, u"p16-"_s, u"production"_s);
        const QString migrations = m_dir.filePath(u"migrations-"_s + name);
        writeFile(migrations, u"0001_a.sql"_s, "CREATE TABLE a(x int);\n");
        writeFile(migrations, u"0002_b.sql"_s, "CREATE TABLE b(x int);\n");
        writeFile(migrations, u"0003_c.sql"_s, "CREATE TABLE c(x int); INSERT INTO c VALUES (1);\n");
        const QStringList args{u"migrate"_s, u"--profile"_s,  profile,  u"--migrations"_s,   migrations, u"--confirm"_s,
                               name,         u"--max-wait"_s, u"300"_s, u"--lock-timeout"_s, u"300"_s};
        QList<QProcess *> children;
        for (int i = 0; i < 16; ++i)
            children << startCli(args, this);
        for (QProcess *p : std::as_const(children))
        {
            QVERIFY(p->waitForFinished(600000));
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0, p->readAllStandardError().constData());
        }
        qDeleteAll(children);
        QJsonArray entries = catalogOf(profile);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0].toObject().value(u"kind"_s).toString(), u"pre-migration"_s);
        QCOMPARE(entries[0].toObject().value(u"verification"_s).toString(), u"verified"_s);
        const qint64 first = entries[0].toObject().value(u"id"_s).toInteger();
        auto conn = PgFixture::connect(db);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM c"_s).value(0, 0).toInt(), 1);
        const QueryResult rows =
            conn->exec(u"SELECT count(*) AS n, count(DISTINCT version) AS v, count(*) FILTER (WHERE backup_id = $1) AS ref "
                       u"FROM dbops_schema_history WHERE type = 'SQL'"_s,
                       {QString::number(first)});
        QCOMPARE(rows.value(0, u"n"_s).toInt(), 3);
        QCOMPARE(rows.value(0, u"v"_s).toInt(), 3);
        QCOMPARE(rows.value(0, u"ref"_s).toInt(), 3);

        // Nothing pending: no backup.
        const CliResult idle = runCli(args);
        QVERIFY2(idle.exitCode == 0, qPrintable(idle.err));
        QCOMPARE(catalogOf(profile).size(), 1);

        // The backup taken before the change is older than the change: a new pending migration
        // gets a new backup... unless a verified backup was taken after the last change, within
        // the freshness window: that one is reused and named.
        const CliResult manual = runCli({u"backup"_s, u"--profile"_s, profile, u"--json"_s});
        QVERIFY2(manual.exitCode == 0, qPrintable(manual.err));
        const qint64 manualId = json(manual).value(u"id"_s).toInteger();
        writeFile(migrations, u"0004_d.sql"_s, "CREATE TABLE d(x int);\n");
        const CliResult reuse = runCli(args);
        QVERIFY2(reuse.exitCode == 0, qPrintable(reuse.err));
        QVERIFY2(reuse.err.contains(u"verified backup %1 reused"_s.arg(manualId)), qPrintable(reuse.err));
        QCOMPARE(catalogOf(profile).size(), 2);
        QCOMPARE(conn->exec(u"SELECT backup_id FROM dbops_schema_history WHERE version = '0004'"_s).value(0, 0).toString(),
                 QString::number(manualId));

        // Now the last change is newer than every backup: a new one is taken.
        writeFile(migrations, u"0005_e.sql"_s, "CREATE TABLE e(x int);\n");
        const CliResult fresh = runCli(args + QStringList{u"--json"_s});
        QVERIFY2(fresh.exitCode == 0, qPrintable(fresh.err));
        const QJsonObject pre = json(fresh).value(u"pre_change_backup"_s).toObject();
        QVERIFY2(!pre.value(u"reused"_s).toBool() && pre.value(u"backup_id"_s).toInteger() > manualId, qPrintable(fresh.out));
        QCOMPARE(catalogOf(profile).size(), 3);

        // The freshness window is the policy's: 0 means always a new backup.
        QCOMPARE(runCli({u"backup"_s, u"--profile"_s, profile}).exitCode, 0);
        QCOMPARE(runCli({u"backups"_s, u"policy"_s, u"--profile"_s, profile, u"--fresh-minutes"_s, u"0"_s}).exitCode, 0);
        writeFile(migrations, u"0006_f.sql"_s, "CREATE TABLE f(x int);\n");
        const CliResult windowOff = runCli(args);
        QVERIFY2(windowOff.exitCode == 0 && windowOff.err.contains(u" taken before the change"_s), qPrintable(windowOff.err));
        QCOMPARE(catalogOf(profile).size(), 5);

        // Staging: none by default; with --pre-migration on, one.
        const ConnectParams sdb = PgFixture::newDatabase(u"cli_stg"_s);
        const QString staging = addProfile(sdb, u"stg-"_s, u"staging"_s);
        const QStringList sargs{u"migrate"_s, u"--profile"_s, staging, u"--migrations"_s, migrations};
        writeFile(m_dir.filePath(u"stg-one"_s), u"0001_a.sql"_s, "CREATE TABLE a(x int);\n");
        const QStringList one{u"migrate"_s, u"--profile"_s, staging, u"--migrations"_s, m_dir.filePath(u"stg-one"_s)};
        const CliResult stagingRun = runCli(one);
        QVERIFY2(stagingRun.exitCode == 0, qPrintable(stagingRun.err));
        QCOMPARE(catalogOf(staging).size(), 0);
        const CliResult on = runCli({u"backups"_s, u"policy"_s, u"--profile"_s, staging, u"--pre-migration"_s, u"on"_s});
        QVERIFY2(on.exitCode == 0 && on.out.contains(u"pre-change backup on"_s), qPrintable(on.out + on.err));
        const CliResult staged = runCli(sargs);
        QVERIFY2(staged.exitCode == 0, qPrintable(staged.err));
        const QJsonArray sentries = catalogOf(staging);
        QCOMPARE(sentries.size(), 1);
        QCOMPARE(sentries[0].toObject().value(u"kind"_s).toString(), u"pre-migration"_s);
    }

    /// Issue 10: bad policy values and unknown profiles are exit 2 naming the value, and nothing
    /// is written.
    void policyRefusesBadValues()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_pol"_s);
        const QString profile = addProfile(db, u"pol-"_s, u"production"_s);
        QCOMPARE(runCli({u"backups"_s, u"policy"_s, u"--profile"_s, profile, u"--keep-last"_s, u"3"_s}).exitCode, 0);
        const QList<std::pair<QStringList, QString>> bad = {
            {{u"--profile"_s, u"nope"_s, u"--keep-last"_s, u"abc"_s, u"--pre-migration"_s, u"maybe"_s}, u"abc"_s},
            {{u"--profile"_s, u"nope-at-all"_s, u"--keep-last"_s, u"2"_s}, u"nope-at-all"_s},
            {{u"--profile"_s, profile, u"--keep-last"_s, u"7"_s, u"--pre-migration"_s, u"maybe"_s}, u"maybe"_s},
            {{u"--profile"_s, profile, u"--keep-last"_s, u"-1"_s}, u"-1"_s},
            {{u"--profile"_s, profile, u"--keep-days"_s, u"1.5"_s}, u"1.5"_s},
            {{u"--profile"_s, profile, u"--fresh-minutes"_s, u"x"_s}, u"'x'"_s},
        };
        for (const auto &[args, named] : bad)
        {
            const CliResult r = runCli(QStringList{u"backups"_s, u"policy"_s} + args);
            QVERIFY2(r.exitCode == 2, qPrintable(args.join(u' ') + u": "_s + r.err));
            QVERIFY2(r.err.contains(named), qPrintable(r.err));
        }
        const CliResult now = runCli({u"backups"_s, u"policy"_s, u"--profile"_s, profile});
        QVERIFY2(now.exitCode == 0 && now.out.contains(u"keep last 3"_s) && now.out.contains(u"pre-change backup on"_s),
                 qPrintable(now.out));
        QVERIFY(!runCli({u"backups"_s, u"policy"_s, u"--profile"_s, u"nope"_s}).out.contains(u"policy of nope"_s));
    }

    /// Issue 10: a name PostgreSQL would truncate (over 63 bytes in UTF-8) is refused before
    /// anything is touched.
    void restoreIntoTooLongNameIsRefused()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_long"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE n(x int); INSERT INTO n VALUES (1)"_s);
        const QString url = PgFixture::sandbox().url(db.value(u"dbname"_s));
        const CliResult b = runCli({u"backup"_s, u"--db"_s, url, u"--json"_s});
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        const QString id = QString::number(json(b).value(u"id"_s).toInteger());
        // 32 characters, 64 bytes: short enough in characters, too long in bytes.
        const QString name = QString(32, QChar(0x00e9));
        QCOMPARE(name.toUtf8().size(), 64);
        const CliResult r = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, name});
        QVERIFY2(r.exitCode == 2, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"63 bytes"_s), qPrintable(r.err));
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        QCOMPARE(
            admin->exec(u"SELECT count(*) FROM pg_database WHERE datname LIKE $1"_s, {QString(name.left(31) + u'%')}).value(0, 0).toInt(),
            0);
        // 63 bytes exactly is fine.
        const QString ok = QString(31, QChar(0x00e9)) + u"x"_s;
        QCOMPARE(ok.toUtf8().size(), 63);
        const CliResult good = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, ok});
        QVERIFY2(good.exitCode == 0, qPrintable(good.err));
        QCOMPARE(admin->exec(u"SELECT count(*) FROM pg_database WHERE datname = $1"_s, {ok}).value(0, 0).toInt(), 1);
    }

    /// Issue 10: a password given in DATABASE_URL or --db reaches pg_dump and pg_restore only
    /// through the passfile: their environment has no password, no URL carrying one and no
    /// secret of ours. Wrappers in DBOPS_PG_TOOLS_DIR record the environment each child got.
    void childrenGetAScrubbedEnvironment()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_env"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE n(x int); INSERT INTO n VALUES (1)"_s);
        auto real = locatePgTools(15);
        QVERIFY2(real.has_value(), qPrintable(real ? QString() : real.error().message));
        const QString tools = m_dir.filePath(u"wrapped-tools"_s);
        const QString seen = m_dir.filePath(u"seen-env"_s);
        QVERIFY(QDir().mkpath(seen));
        for (const auto &[tool, path] : {std::pair{u"pg_dump"_s, real->pgDump}, std::pair{u"pg_restore"_s, real->pgRestore}})
        {
            const QString script = writeFile(tools, tool,
                                             (u"#!/bin/sh\nenv > \"%1/env.$$.%2\"\n"
                                              u"if [ -n \"$PGPASSFILE\" ]; then cat \"$PGPASSFILE\" > \"%1/pass.$$.%2\"; fi\n"
                                              u"exec \"%3\" \"$@\"\n"_s)
                                                 .arg(seen, tool, path)
                                                 .toUtf8());
            QVERIFY(QFile::setPermissions(script, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        }
        const QString password = u"s3cr3t-Pw-in-url"_s;
        const QString url = PgFixture::sandbox().url(db.value(u"dbname"_s)).replace(u"postgres@"_s, u"postgres:"_s + password + u"@"_s);
        const QStringList env{u"DBOPS_PG_TOOLS_DIR="_s + tools, u"DATABASE_URL="_s + url,
                              u"PGPASSWORD=pgpassword-value"_s, u"MY_API_TOKEN=token-value"_s,
                              u"SOME_SECRET=secret-value"_s,    u"OTHER_URL=postgres://app:other-url-pw@db.example/app"_s};
        const CliResult b = runCli({u"backup"_s, u"--json"_s}, env);
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        const QString id = QString::number(json(b).value(u"id"_s).toInteger());
        const CliResult r = runCli({u"restore"_s, id, u"--into"_s, db.value(u"dbname"_s) + u"_envcopy"_s}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const CliResult viaDb = runCli({u"backup"_s, u"--db"_s, url}, {u"DBOPS_PG_TOOLS_DIR="_s + tools});
        QVERIFY2(viaDb.exitCode == 0, qPrintable(viaDb.err));

        int envs = 0;
        int passes = 0;
        bool sawDump = false;
        bool sawRestore = false;
        for (const QString &f : QDir(seen).entryList(QDir::Files))
        {
            QFile file(QDir(seen).filePath(f));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            if (f.startsWith(u"env."_s))
            {
                ++envs;
                for (const QString &secret : {password, u"pgpassword-value"_s, u"token-value"_s, u"secret-value"_s, u"other-url-pw"_s})
                    QVERIFY2(!text.contains(secret), qPrintable(f + u" has "_s + secret));
                QVERIFY2(!text.contains(u"DATABASE_URL="_s) && !text.contains(u"PGPASSWORD="_s), qPrintable(f));
                QVERIFY2(!text.contains(u"PGPASSFILE=/tmp"_s), qPrintable(f));
            }
            else
            {
                ++passes;
                QVERIFY2(text.contains(password), qPrintable(f));
                sawDump |= f.endsWith(u"pg_dump"_s);
                sawRestore |= f.endsWith(u"pg_restore"_s);
            }
        }
        QVERIFY(envs >= 4);
        QVERIFY2(sawDump && sawRestore && passes >= 3, qPrintable(QDir(seen).entryList(QDir::Files).join(u' ')));
    }

    /// Issue 10: archives are 0600 in 0700 folders (custom and directory format).
    void archivesArePrivate()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_perm"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE n(x int); INSERT INTO n VALUES (1)"_s);
        const QString profile = addProfile(db, u"perm-"_s, u"development"_s);
        for (const QString &format : {u"custom"_s, u"directory"_s})
        {
            const CliResult b = runCli({u"backup"_s, u"--profile"_s, profile, u"--format"_s, format, u"--json"_s});
            QVERIFY2(b.exitCode == 0, qPrintable(b.err));
            const QString path = json(b).value(u"path"_s).toString();
            auto mode = [](const QString &p) {
                struct stat st
                {
                };
                return ::stat(QFile::encodeName(p).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
            };
            QCOMPARE(mode(QFileInfo(path).absolutePath()), 0700);
            QCOMPARE(mode(QFileInfo(QFileInfo(path).absolutePath()).absolutePath()), 0700); // backups/
            if (format == u"custom"_s)
                QCOMPARE(mode(path), 0600);
            else
            {
                QCOMPARE(mode(path), 0700);
                const QStringList files = QDir(path).entryList(QDir::Files);
                QVERIFY(!files.isEmpty());
                for (const QString &f : files)
                    QCOMPARE(mode(QDir(path).filePath(f)), 0600);
            }
        }
    }

    /// Issue 10: kill -9 of dbops mid-dump leaves no pg_dump running (it dies with dbops), no
    /// password file, and the next backup of the profile sweeps the .partial with a log line.
    /// pg_dump is held on a lock the test holds, so without the fix it would wait forever.
    void killedBackupLeavesNothingRunning_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("custom") << u"custom"_s;
        QTest::newRow("directory") << u"directory"_s;
    }
    void killedBackupLeavesNothingRunning()
    {
        QFETCH(QString, format);
        const ConnectParams db = PgFixture::newDatabase(u"cli_kill"_s);
        const QString name = db.value(u"dbname"_s);
        auto holder = PgFixture::connect(db);
        // A partitioned table: pg_dump locks it, dbops' own size query (plain tables) does not.
        holder->exec(u"CREATE TABLE big(x int); INSERT INTO big SELECT generate_series(1, 1000); "
                     u"CREATE TABLE parted(x int) PARTITION BY RANGE (x)"_s);
        const QString out = m_dir.filePath(u"killed-"_s + name);
        QTemporaryDir tmp;
        const QStringList env{u"TMPDIR="_s + tmp.path()};
        const QString url = PgFixture::sandbox().url(name).replace(u"postgres@"_s, u"postgres:pw-kill@"_s);
        holder->exec(u"BEGIN; LOCK TABLE parted IN ACCESS EXCLUSIVE MODE"_s);
        QProcess *p = startCli({u"backup"_s, u"--db"_s, url, u"--format"_s, format, u"--output"_s, out}, this, env);
        QVERIFY2(waitForBlockedPgDump(name), "pg_dump never waited on the lock");
        QVERIFY(waitUntil([&] { return !QDir(out).entryList({u"*.partial"_s}, QDir::Files | QDir::Dirs).isEmpty(); }));
        QVERIFY(!pgDumpPids(name).isEmpty());
        ::kill(pid_t(p->processId()), SIGKILL);
        QVERIFY(p->waitForFinished(60000));
        delete p;
        QVERIFY2(waitUntil([&] { return pgDumpPids(name).isEmpty(); }, 30000), "pg_dump outlived dbops");
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
        holder->exec(u"COMMIT"_s);
        const QStringList left = QDir(out).entryList({u"*.partial"_s}, QDir::Files | QDir::Dirs);
        QCOMPARE(left.size(), 1);

        const CliResult next = runCli({u"backup"_s, u"--db"_s, url, u"--format"_s, format, u"--output"_s, out}, env);
        QVERIFY2(next.exitCode == 0, qPrintable(next.err));
        QVERIFY2(next.err.contains(u"removed"_s) && next.err.contains(left[0]), qPrintable(next.err));
        QCOMPARE(QDir(out).entryList({u"*.partial"_s, u"*.lock"_s}, QDir::Files | QDir::Dirs), QStringList());
    }

    /// Issue 10: Ctrl+C (SIGINT to the terminal's process group) during a backup reports
    /// "cancelled" and what was cleaned up, not pg_dump's own failure.
    void ctrlCDuringBackupSaysCancelled()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_int"_s);
        const QString name = db.value(u"dbname"_s);
        auto holder = PgFixture::connect(db);
        // A partitioned table: pg_dump locks it, dbops' own size query (plain tables) does not.
        holder->exec(u"CREATE TABLE big(x int); INSERT INTO big SELECT generate_series(1, 1000); "
                     u"CREATE TABLE parted(x int) PARTITION BY RANGE (x)"_s);
        const QString out = m_dir.filePath(u"interrupted-"_s + name);
        holder->exec(u"BEGIN; LOCK TABLE parted IN ACCESS EXCLUSIVE MODE"_s);
        QProcess p;
        p.setProcessEnvironment(cliEnvironment());
        p.setChildProcessModifier([] { ::setpgid(0, 0); }); // like a terminal's foreground job
        p.start(PgFixture::cliPath(), {u"backup"_s, u"--db"_s, PgFixture::sandbox().url(name), u"--output"_s, out});
        QVERIFY(p.waitForStarted());
        QVERIFY2(waitForBlockedPgDump(name), "pg_dump never waited on the lock");
        ::kill(-pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        holder->exec(u"COMMIT"_s);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY(p.exitStatus() == QProcess::NormalExit && p.exitCode() != 0);
        QVERIFY2(err.contains(u"cancelled"_s) && err.contains(u"removed"_s) && err.contains(u"nothing was added to the catalog"_s),
                 qPrintable(err));
        QVERIFY2(!err.contains(u"pg_dump failed"_s), qPrintable(err));
        QCOMPARE(QDir(out).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
        QVERIFY2(waitUntil([&] { return pgDumpPids(name).isEmpty(); }, 30000), "pg_dump outlived the cancel");
    }

    /// Issue 10: backup and restore --into as a least-privileged role (LOGIN, owns its database,
    /// no superuser): the backup works; the restore without CREATEDB is refused with a named
    /// reason before anything is touched, and works once the role may create databases.
    void leastPrivilegedRole()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_lp"_s);
        const QString name = db.value(u"dbname"_s);
        const QString role = u"lp_"_s + name;
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        // The sandbox asks other roles for a password (scram): it must reach pg_dump/pg_restore.
        const QString password = u"lp-pw-"_s + name;
        admin->exec(u"CREATE ROLE "_s + admin->escapeIdentifier(role) + u" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "_s
                    + admin->escapeLiteral(password));
        admin->exec(u"ALTER DATABASE "_s + admin->escapeIdentifier(name) + u" OWNER TO "_s + admin->escapeIdentifier(role));
        ConnectParams asRole = db;
        asRole.set(u"user"_s, role);
        asRole.password = password;
        PgFixture::connect(asRole)->exec(u"CREATE TABLE mine(x int); INSERT INTO mine SELECT generate_series(1, 77)"_s);
        const QString url = PgFixture::sandbox().url(name).replace(u"postgres@"_s, role + u":"_s + password + u"@"_s);

        const CliResult b = runCli({u"backup"_s, u"--db"_s, url, u"--json"_s});
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        QCOMPARE(json(b).value(u"verification"_s).toString(), u"verified"_s);
        const QString id = QString::number(json(b).value(u"id"_s).toInteger());

        const QString copy = name + u"_lpcopy"_s;
        const CliResult refused = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, copy});
        QVERIFY2(refused.exitCode != 0, qPrintable(refused.err));
        QVERIFY2(refused.err.contains(u"CREATEDB"_s) && refused.err.contains(role) && refused.err.contains(u"Nothing was touched"_s),
                 qPrintable(refused.err));
        QCOMPARE(admin->exec(u"SELECT count(*) FROM pg_database WHERE datname = $1"_s, {copy}).value(0, 0).toInt(), 0);

        admin->exec(u"ALTER ROLE "_s + admin->escapeIdentifier(role) + u" CREATEDB"_s);
        const CliResult restored = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, copy});
        QVERIFY2(restored.exitCode == 0, qPrintable(restored.err));
        ConnectParams copyAsRole = asRole;
        copyAsRole.set(u"dbname"_s, copy);
        QCOMPARE(PgFixture::connect(copyAsRole)->exec(u"SELECT count(*) FROM mine"_s).value(0, 0).toInt(), 77);
    }

    /// Issue 10: a full disk is reported as the system says it ("No space left on device") with
    /// the archive's path, and leaves nothing behind. Needs root to mount a 2 MB tmpfs.
    void diskFullSaysSo()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a tmpfs needs root");
        QTemporaryDir mnt;
        QProcess mount;
        mount.start(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=2m"_s, u"tmpfs"_s, mnt.path()});
        if (!mount.waitForFinished(30000) || mount.exitCode() != 0)
            QFAIL(qPrintable(u"root cannot mount a 2 MB tmpfs here: "_s + QString::fromUtf8(mount.readAllStandardError())));
        auto unmount = qScopeGuard([&] { QProcess::execute(u"umount"_s, {mnt.path()}); });
        const ConnectParams db = PgFixture::newDatabase(u"cli_full"_s);
        // md5 text compresses poorly: several MB in the archive.
        PgFixture::connect(db)->exec(
            u"CREATE TABLE big AS SELECT g, md5(g::text) || md5((g * 7)::text) AS t FROM generate_series(1, 150000) g"_s);
        for (const QString &format : {u"custom"_s, u"directory"_s})
        {
            const CliResult r = runCli({u"backup"_s, u"--db"_s, PgFixture::sandbox().url(db.value(u"dbname"_s)), u"--format"_s, format,
                                        u"--output"_s, mnt.path()});
            QVERIFY2(r.exitCode != 0, qPrintable(r.err));
            QVERIFY2(r.err.contains(u"No space left on device"_s) && r.err.contains(mnt.path()), qPrintable(r.err));
            QVERIFY2(!r.err.contains(u"Unknown error"_s), qPrintable(r.err));
            QCOMPARE(QDir(mnt.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
        }
    }
};

QTEST_GUILESS_MAIN(TestBackupCli)
#include "test_backup_cli.moc"
