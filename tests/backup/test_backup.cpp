// Backup and restore with the real pg_dump/pg_restore against the real PostgreSQL of the fixture.
#include "core/backup/backupcatalog.h"
#include "core/backup/backupqueries.h"
#include "core/backup/backupservice.h"
#include "core/backup/restoreservice.h"
#include "core/backup/toollocator.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/store/store.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/jobs.h"
#include "tests/support/pgfixture.h"
#include "tests/support/sessions.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    ConnectionProfile profileFor(const ConnectParams &params)
    {
        return dbops::test::profileFor(u"test-"_s + params.value(u"dbname"_s), Environment::Development, params);
    }

    void pgbench(const ConnectParams &params, int scale)
    {
        QProcess p;
        p.start(u"pgbench"_s, {u"-i"_s, u"-q"_s, u"-s"_s, QString::number(scale), u"-h"_s, params.value(u"host"_s), u"-p"_s,
                               params.value(u"port"_s), u"-U"_s, u"postgres"_s, params.value(u"dbname"_s)});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }

    /// count(*) and an md5 of each table's ordered rows.
    QMap<QString, QString> fingerprint(const ConnectParams &params)
    {
        auto conn = PgFixture::connect(params);
        const QueryResult tables =
            conn->exec(u"SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       u"WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') ORDER BY 1, 2"_s);
        QMap<QString, QString> out;
        for (int i = 0; i < tables.rowCount(); ++i)
        {
            const QString q = conn->escapeIdentifier(tables.text(i, u"s"_s)) + u'.' + conn->escapeIdentifier(tables.text(i, u"t"_s));
            const QueryResult r =
                conn->exec(u"SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') "
                           u"FROM "_s
                           + q + u" x"_s);
            out.insert(tables.text(i, u"s"_s) + u'.' + tables.text(i, u"t"_s), r.value(0, 0).toString());
        }
        return out;
    }
}

class TestBackup final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    ConnectParams m_small; ///< demo schema + a little data, backed up once for the refusal tests

    BackupEntry backupOf(const ConnectParams &params, const QString &label = {})
    {
        BackupRequest req;
        req.profile = profileFor(params);
        req.connection = params;
        req.outputDir = m_dir.filePath(u"backups"_s);
        req.label = label;
        BackupService service(*m_store);
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(service.backup(req, jc).id); });
        if (!r)
            throw Exception(r.error());
        return BackupCatalog(*m_store).get(r->toLongLong());
    }

    Expected<QVariant> restore(RestoreRequest req)
    {
        RestoreService service(*m_store);
        return runInJob([&](JobContext &jc) { return QVariant(service.restore(req, jc).toJson()); });
    }

    RestoreRequest restoreRequest(qint64 id)
    {
        RestoreRequest req;
        req.backupId = id;
        req.connection = PgFixture::sandbox().connectParams();
        req.profile = profileFor(req.connection);
        return req;
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_dir.isValid());
        dbops::test::usePrivateHome(m_dir.filePath(u"home"_s)); // the trash and the logs stay in the test's folder
        m_store = std::make_unique<Store>(m_dir.filePath(u"store.sqlite"_s));
        QVERIFY(m_store->open().has_value());
        m_small = PgFixture::newDatabase(u"small"_s);
        auto conn = PgFixture::connect(m_small);
        conn->exec(
            u"CREATE TABLE items(id int PRIMARY KEY, name text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 5000) g;"_s);
    }

    void roundTripPgbenchAndDemoSchema()
    {
        const ConnectParams source = PgFixture::newDatabase(u"rt"_s);
        pgbench(source, 5);
        const QString migrations = m_dir.filePath(u"migrations"_s);
        copyDemoMigrations(migrations);
        const CliResult migrated =
            runCli({u"migrate"_s, u"--db"_s, PgFixture::sandbox().url(source.value(u"dbname"_s)), u"--migrations"_s, migrations});
        QVERIFY2(migrated.exitCode == 0, qPrintable(migrated.err));

        const BackupEntry entry = backupOf(source, u"round trip"_s);
        QVERIFY(entry.verification == VerifyState::Verified);
        QVERIFY(QFileInfo::exists(entry.path));
        QVERIFY(!QFileInfo::exists(entry.path + u".partial"_s));
        QCOMPARE(entry.size, QFileInfo(entry.path).size());
        QVERIFY(!entry.schemaVersion.isEmpty());
        QCOMPARE(entry.rowCounts.value(u"public.pgbench_accounts"_s), 500000);
        QFile f(entry.path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()), entry.sha256);

        RestoreRequest req = restoreRequest(entry.id);
        req.newDatabase = source.value(u"dbname"_s) + u"_copy"_s;
        auto restored = restore(req);
        QVERIFY2(restored.has_value(), qPrintable(restored ? QString() : restored.error().toString()));
        const auto before = fingerprint(source);
        const auto after = fingerprint(PgFixture::sandbox().connectParams(req.newDatabase));
        QVERIFY(before.size() >= 5);
        QCOMPARE(after, before);
        QCOMPARE(BackupCatalog(*m_store).restores(1).value(0).outcome, u"ok"_s);
    }

    /// Issue 10: the row counts are read from the archive's data entries structurally, so table
    /// names with quotes, spaces, parentheses and newlines, and a function whose body has lines
    /// starting with "COPY " and "\.", neither confuse the counts nor fail verify/test-restore.
    void hostileNamesAndFunctionBodies_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("custom") << u"custom"_s;
        QTest::newRow("directory") << u"directory"_s;
    }
    void hostileNamesAndFunctionBodies()
    {
        QFETCH(QString, format);
        const ConnectParams source = PgFixture::newDatabase(u"hostile"_s);
        auto conn = PgFixture::connect(source);
        // (No raw string literal here: moc's tokenizer does not read them.)
        const QString weird = u"\"s x\".\"line\nbreak; COPY t FROM stdin;\""_s;
        conn->exec(
            u"CREATE SCHEMA \"s x\";"_s
            u"CREATE TABLE \"a\"\"b\"(x int); INSERT INTO \"a\"\"b\" SELECT generate_series(1, 11);"_s
            u"CREATE TABLE \"we (ird\"(x int, \"c (d\" text); INSERT INTO \"we (ird\" SELECT g, 'v' FROM generate_series(1, 12) g;"_s
            u"CREATE TABLE \"x\"\" (y\"(x int); INSERT INTO \"x\"\" (y\" SELECT generate_series(1, 13);"_s
            + u"CREATE TABLE "_s + weird + u"(x int); INSERT INTO "_s + weird + u" SELECT generate_series(1, 14);"_s
            + u"CREATE TABLE plain(x text); INSERT INTO plain VALUES (E'\\\\.'), (E'COPY x FROM stdin;'), (E'line\\nbreak');"_s
              u"CREATE TABLE empty_one(x int);"_s
              u"CREATE FUNCTION tricky() RETURNS text LANGUAGE sql AS $f$\nSELECT '\nCOPY public.plain (x) FROM stdin;\n1\n2\n\\.\n'::text\n$f$;"_s);
        const QMap<QString, qint64> truth = backupqueries::rowCounts(*conn, nullptr);
        QCOMPARE(truth.value(u"s x.line\nbreak; COPY t FROM stdin;"_s), 14);

        BackupRequest req;
        req.profile = profileFor(source);
        req.connection = source;
        req.format = format;
        req.outputDir = m_dir.filePath(u"hostile-"_s + format);
        BackupService service(*m_store);
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(service.backup(req, jc).id); });
        QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().toString()));
        const BackupEntry e = BackupCatalog(*m_store).get(r->toLongLong());
        QVERIFY(e.verification == VerifyState::Verified);
        QCOMPARE(e.rowCounts, truth);

        auto verified = runInJob([&](JobContext &jc) { return QVariant::fromValue(service.verify(e.id, jc)); });
        QVERIFY2(verified.has_value(), qPrintable(verified ? QString() : verified.error().toString()));
        QVERIFY(verified->value<BackupEntry>().verification == VerifyState::Verified);
        QCOMPARE(verified->value<BackupEntry>().rowCounts, truth);

        auto tested = runInJob([&](JobContext &jc) { return QVariant::fromValue(service.testRestore(e.id, jc)); });
        QVERIFY2(tested.has_value(), qPrintable(tested ? QString() : tested.error().toString()));
        QVERIFY2(tested->value<BackupEntry>().testRestore.startsWith(u"ok"_s), qPrintable(tested->value<BackupEntry>().testRestore));

        RestoreRequest rr = restoreRequest(e.id);
        rr.newDatabase = source.value(u"dbname"_s) + u"_h"_s + format.left(3);
        auto restored = restore(rr);
        QVERIFY2(restored.has_value(), qPrintable(restored ? QString() : restored.error().toString()));
        QCOMPARE(backupqueries::rowCounts(*PgFixture::connect(PgFixture::sandbox().connectParams(rr.newDatabase)), nullptr), truth);
    }

    /// Issue 10: only client sessions count as "other sessions" of a database a replace refuses
    /// over or ends. Autovacuum cannot be forced to connect on cue; a walsender connected to the
    /// database (replication=database) is a real non-client backend there, and is not listed,
    /// while a client session beside it is.
    void sessionsCountOnlyClientBackends()
    {
        const ConnectParams db = PgFixture::newDatabase(u"sessions"_s);
        const QString name = db.value(u"dbname"_s);
        QProcess walsender;
        walsender.start(PgFixture::sandbox().binDir() + u"/psql"_s,
                        {u"-X"_s, u"-q"_s,
                         u"dbname=%1 host=%2 port=%3 user=postgres replication=database"_s.arg(
                             name, PgFixture::sandbox().socketDir(), QString::number(PgFixture::sandbox().port()))});
        QVERIFY(walsender.waitForStarted());
        // The client is another process's (psql): this process's own connections are dbops's
        // own sessions, never "other sessions" (issue 12).
        QProcess client;
        dbops::test::startPsql(client, name, u"other-client"_s);
        QVERIFY(client.waitForStarted());
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        QTRY_VERIFY_WITH_TIMEOUT(
            admin->exec(u"SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'walsender'"_s, {name}).rowCount() == 1,
            60000);
        const auto clientPidOf = [&] {
            const QueryResult r =
                admin->exec(u"SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'other-client'"_s, {name});
            return r.rowCount() == 1 ? r.value(0, 0).toInt() : 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(clientPidOf() != 0, 60000);
        const int clientPid = clientPidOf();
        RestoreService service(*m_store);
        auto listed = runInJob([&](JobContext &jc) {
            QVariantList pids;
            for (const SessionInfo &s : service.sessions(PgFixture::sandbox().connectParams(), name, jc))
                pids << s.pid;
            return QVariant(pids);
        });
        QVERIFY2(listed.has_value(), qPrintable(listed ? QString() : listed.error().toString()));
        QCOMPARE(listed->toList(), QVariantList{clientPid});
        walsender.closeWriteChannel();
        QVERIFY(walsender.waitForFinished(30000));
        client.closeWriteChannel();
        QVERIFY(client.waitForFinished(30000));
    }

    /// Same class as the 63-byte refusal: a replace of a database whose name is long keeps the
    /// side databases' names within 63 bytes (they were cut at 40 characters plus a 29-byte tag,
    /// which PostgreSQL truncated, so the rename and the drop missed them).
    void replaceOfALongNamedDatabase()
    {
        const QString name = u"long_"_s + QString(28, QChar(0x00e9)) + u"_x"_s; // 63 bytes
        QCOMPARE(name.toUtf8().size(), 63);
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        admin->exec(u"DROP DATABASE IF EXISTS "_s + admin->escapeIdentifier(name));
        admin->exec(u"CREATE DATABASE "_s + admin->escapeIdentifier(name));
        const ConnectParams target = PgFixture::sandbox().connectParams(name);
        PgFixture::connect(target)->exec(u"CREATE TABLE t(x int); INSERT INTO t SELECT generate_series(1, 5)"_s);
        const BackupEntry e = backupOf(target);
        PgFixture::connect(target)->exec(u"INSERT INTO t VALUES (6)"_s);
        RestoreRequest rr = restoreRequest(e.id);
        rr.replaceDatabase = name;
        rr.confirm = name;
        auto restored = restore(rr);
        QVERIFY2(restored.has_value(), qPrintable(restored ? QString() : restored.error().toString()));
        QCOMPARE(PgFixture::connect(target)->exec(u"SELECT count(*) FROM t"_s).value(0, 0).toInt(), 5);
        QCOMPARE(
            admin->exec(u"SELECT count(*) FROM pg_database WHERE datname LIKE 'long\\_%' AND datname <> $1"_s, {name}).value(0, 0).toInt(),
            0);
    }

    void directoryFormatWithJobs()
    {
        BackupRequest req;
        req.profile = profileFor(m_small);
        req.connection = m_small;
        req.format = u"directory"_s;
        req.jobs = 2;
        req.outputDir = m_dir.filePath(u"dirbackups"_s);
        BackupService service(*m_store);
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(service.backup(req, jc).id); });
        QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().toString()));
        const BackupEntry e = BackupCatalog(*m_store).get(r->toLongLong());
        QVERIFY(QFileInfo(e.path).isDir());
        QCOMPARE(e.rowCounts.value(u"public.items"_s), 5000);
        RestoreRequest rr = restoreRequest(e.id);
        rr.newDatabase = m_small.value(u"dbname"_s) + u"_fromdir"_s;
        auto restored = restore(rr);
        QVERIFY2(restored.has_value(), qPrintable(restored ? QString() : restored.error().toString()));
    }

    void cancelLeavesNothing()
    {
        const ConnectParams source = PgFixture::newDatabase(u"cancel"_s);
        pgbench(source, 5);
        BackupRequest req;
        req.profile = profileFor(source);
        req.connection = source;
        const QString out = m_dir.filePath(u"cancelled"_s);
        req.outputDir = out;
        BackupService service(*m_store);
        auto *job = new Job(u"backup"_s, [&](JobContext &jc) { return QVariant::fromValue(service.backup(req, jc).id); });
        job->setAutoDelete(false);
        bool sawDumping = false;
        connect(
            job, &Job::progressChanged, job,
            [&](qint64, qint64, const QString &message) {
                if (message.startsWith(u"dumping"_s) && !sawDumping)
                {
                    sawDumping = true;
                    job->cancel();
                }
            },
            Qt::DirectConnection);
        QThreadPool::globalInstance()->start(job);
        QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 120000);
        QVERIFY(sawDumping);
        QVERIFY(job->state() == JobState::Cancelled);
        delete job;
        QCOMPARE(BackupCatalog(*m_store).list(req.profile.name).size(), 0);
        QCOMPARE(QDir(out).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
    }

    /// Issue 10 (same class as Ctrl+C during a backup): a cancelled restore says what it undid
    /// (the partly restored database dropped), and leaves no database behind.
    void cancelledRestoreSaysWhatItUndid()
    {
        const ConnectParams source = PgFixture::newDatabase(u"rcancel"_s);
        pgbench(source, 3);
        const BackupEntry e = backupOf(source);
        RestoreRequest rr = restoreRequest(e.id);
        rr.newDatabase = source.value(u"dbname"_s) + u"_cancelled"_s;
        RestoreService service(*m_store);
        auto *job = new Job(u"restore"_s, [&](JobContext &jc) { return QVariant(service.restore(rr, jc).toJson()); });
        job->setAutoDelete(false);
        // A thread of its own, ended within the test: the store's per-thread connection of a pool
        // thread would otherwise be closed at exit (the store's known exit-order problem).
        std::unique_ptr<QThread> worker(QThread::create([job] { job->run(); }));
        worker->start();
        // Cancelled once the new database exists (the restore is under way into it).
        QTRY_VERIFY_WITH_TIMEOUT(databaseExists(rr.newDatabase) || job->isFinished(), 120000);
        job->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 120000);
        QVERIFY(worker->wait(60000));
        QVERIFY(job->state() == JobState::Cancelled);
        QVERIFY2(job->error().message.contains(u"restore cancelled"_s) && job->error().message.contains(u"dropped"_s),
                 qPrintable(job->error().message));
        delete job;
        QVERIFY(!databaseExists(rr.newDatabase));
    }

    void corruptArchivesAreRefused_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated") << u"truncate"_s;
        QTest::newRow("flipped byte") << u"flip"_s;
    }

    void corruptArchivesAreRefused()
    {
        QFETCH(QString, damage);
        const BackupEntry entry = backupOf(m_small);
        QFile f(entry.path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        if (damage == u"truncate"_s)
            bytes.truncate(bytes.size() * 2 / 3);
        else
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x40);
        QVERIFY(f.resize(0));
        f.seek(0);
        f.write(bytes);
        f.close();
        const QString loose = m_dir.filePath(u"loose-"_s + damage + u".dump"_s);
        QVERIFY(QFile::copy(entry.path, loose));

        // By catalog id: the SHA-256 refuses it.
        RestoreRequest req = restoreRequest(entry.id);
        req.newDatabase = u"never_"_s + damage.left(5);
        auto r = restore(req);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::BadInput);
        QVERIFY2(r.error().message.contains(u"SHA-256"_s), qPrintable(r.error().message));
        QVERIFY(!databaseExists(req.newDatabase));

        // Replace by id: refused before the safety backup or anything else.
        const QString small = m_small.value(u"dbname"_s);
        RestoreRequest rep = restoreRequest(entry.id);
        rep.replaceDatabase = rep.confirm = small;
        const auto countBefore = BackupCatalog(*m_store).list().size();
        auto r2 = restore(rep);
        QVERIFY(!r2.has_value());
        QCOMPARE(r2.error().code, ErrorCode::BadInput);
        QCOMPARE(BackupCatalog(*m_store).list().size(), countBefore);
        QCOMPARE(PgFixture::connect(m_small)->exec(u"SELECT count(*) FROM items"_s).value(0, 0).toInt(), 5000);

        // A loose file (not in the catalog) truncated: read completely, refused.
        if (damage == u"truncate"_s)
        {
            RestoreRequest byPath;
            byPath.archivePath = loose;
            byPath.connection = PgFixture::sandbox().connectParams();
            byPath.newDatabase = u"never_loose"_s;
            auto r3 = restore(byPath);
            QVERIFY(!r3.has_value());
            QCOMPARE(r3.error().code, ErrorCode::BadInput);
            QVERIFY(!databaseExists(byPath.newDatabase));
        }
        auto verified = runInJob([&](JobContext &jc) { return QVariant(int(BackupService(*m_store).verify(entry.id, jc).verification)); });
        QVERIFY(verified.has_value());
        QVERIFY(VerifyState(verified->toInt()) == VerifyState::Failed);
    }

    void replaceRefusedWhileSessionConnected()
    {
        const ConnectParams target = PgFixture::newDatabase(u"replace"_s);
        PgFixture::connect(target)->exec(u"CREATE TABLE t(x int); INSERT INTO t SELECT generate_series(1, 10)"_s);
        const BackupEntry entry = backupOf(m_small);
        const QString name = target.value(u"dbname"_s);

        RestoreRequest req = restoreRequest(entry.id);
        req.replaceDatabase = name;
        req.confirm = name + u"x"_s;
        auto wrongConfirm = restore(req);
        QVERIFY(!wrongConfirm.has_value());
        QCOMPARE(wrongConfirm.error().code, ErrorCode::Usage);

        req.confirm = name;
        // Another process's session (psql): this process's own would be closed by the replace.
        QProcess session;
        dbops::test::startPsql(session, name, u"replace-client"_s);
        QVERIFY(session.waitForStarted());
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams(u"postgres"_s));
        const auto sessionPidNow = [&] {
            const QueryResult r =
                admin->exec(u"SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'replace-client'"_s, {name});
            return r.rowCount() == 1 ? r.value(0, 0).toInt() : 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sessionPidNow() != 0, 60000);
        const int sessionPid = sessionPidNow();
        auto refused = restore(req);
        QVERIFY(!refused.has_value());
        QVERIFY2(refused.error().message.contains(u"pid %1"_s.arg(sessionPid)), qPrintable(refused.error().message));
        QCOMPARE(PgFixture::connect(target)->exec(u"SELECT count(*) FROM t"_s).value(0, 0).toInt(), 10);

        session.closeWriteChannel(); // psql ends at the end of its input
        QVERIFY(session.waitForFinished(60000));
        // Once the session has gone (the backend exits asynchronously), the replace goes ahead.
        QTRY_COMPARE_WITH_TIMEOUT(admin->exec(u"SELECT count(*) FROM pg_stat_activity WHERE pid = $1"_s, {sessionPid}).value(0, 0).toInt(),
                                  0, 60000);
        const Expected<QVariant> done = restore(req);
        QVERIFY2(done.has_value(), qPrintable(done ? QString() : done.error().toString()));
        auto conn = PgFixture::connect(target);
        QCOMPARE(conn->exec(u"SELECT count(*) FROM items"_s).value(0, 0).toInt(), 5000);
        QCOMPARE(conn->exec(u"SELECT to_regclass('t') IS NULL"_s).value(0, 0).toBool(), true);
        const RestoreRecord rec = BackupCatalog(*m_store).restores(1).value(0);
        QCOMPARE(rec.mode, u"replace"_s);
        QVERIFY(rec.safetyBackupId > 0);
        const BackupEntry safety = BackupCatalog(*m_store).get(rec.safetyBackupId);
        QCOMPARE(safety.kind, u"safety"_s);
        QCOMPARE(safety.rowCounts.value(u"public.t"_s), 10);
    }

    void missingMatchingPgDump_data()
    {
        QTest::addColumn<bool>("fakeOld");
        QTest::newRow("missing binary") << false;
        QTest::newRow("older binary") << true;
    }

    void missingMatchingPgDump()
    {
        QFETCH(bool, fakeOld);
        QTemporaryDir bin;
        if (fakeOld)
            for (const QString &tool : {u"pg_dump"_s, u"pg_restore"_s})
            {
                QFile f(bin.filePath(tool));
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write("#!/bin/sh\necho \"" + tool.toLatin1() + " (PostgreSQL) 11.22\"\n");
                f.close();
                f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            }
        BackupRequest req;
        req.profile = profileFor(m_small);
        req.connection = m_small;
        req.outputDir = m_dir.filePath(u"nodump"_s);
        req.toolsDir = bin.path();
        BackupService service(*m_store);
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(service.backup(req, jc).id); });
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        const QString msg = r.error().message;
        QVERIFY2(msg.contains(u"PostgreSQL 15"_s) && msg.contains(u"postgresql-client-15"_s) && msg.contains(bin.path()), qPrintable(msg));
        QVERIFY2(msg.contains(fakeOld ? u"11 ("_s : u"found none"_s), qPrintable(msg));
        QVERIFY(!QDir(req.outputDir).exists() || QDir(req.outputDir).isEmpty());
    }

    void retentionKeepsTheOnlyVerified()
    {
        BackupCatalog catalog(*m_store);
        const QString profile = u"retention"_s;
        BackupEntry e;
        e.profile = profile;
        e.format = u"custom"_s;
        e.sha256 = u"x"_s;
        for (int i = 0; i < 4; ++i)
        {
            e.path = m_dir.filePath(u"ret%1.dump"_s.arg(i));
            QFile(e.path).open(QIODevice::WriteOnly);
            e.startedAt = QDateTime::currentDateTimeUtc().addDays(-10 + i);
            e.verification = i == 0 ? VerifyState::Verified : VerifyState::Failed;
            catalog.add(e);
        }
        catalog.setPolicy({profile, 2, 0, true});
        catalog.applyRetention(profile);
        const auto left = catalog.list(profile);
        QCOMPARE(left.size(), 3); // the two newest, plus the only verified one
        QVERIFY(left.last().verification == VerifyState::Verified);
        QVERIFY(!QFileInfo::exists(m_dir.filePath(u"ret1.dump"_s)));
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "test_backup.moc"
