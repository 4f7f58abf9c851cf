// The app's own SQLite store: versioning, refusal of foreign/newer files, profiles, audit log (STYLE D1).
#include "core/db/profile.h"
#include "core/jobs/job.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/cli.h"
#include "tests/support/pgfixture.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    struct FileState
    {
        QByteArray hash;
        QDateTime mtime;
        bool operator==(const FileState &) const = default;
    };

    FileState stateOf(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return {QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256), QFileInfo(path).lastModified()};
    }

    /// Sets the file's modification time an hour back, so that any later write shows in it
    /// (instead of waiting for the clock to tick).
    void backdate(const QString &path)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-3600), QFileDevice::FileModificationTime));
    }

    /// Writes a plain SQLite file with our own connection (not through Store).
    void writeSqlite(const QString &path, const QStringList &statements)
    {
        const QString name = u"writer-"_s + path;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            for (const QString &sql : statements)
            {
                QSqlQuery q(db);
                QVERIFY2(q.exec(sql), qPrintable(sql));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }

    ConnectionProfile pgProfile(const QString &name, Environment env = Environment::Development)
    {
        ConnectionProfile p;
        p.name = name;
        p.environment = env;
        p.host = u"db.example"_s;
        p.port = 5432;
        p.database = u"app"_s;
        p.user = u"app"_s;
        return p;
    }
}

class TestStore final : public QObject
{
    Q_OBJECT

private slots:
    void freshStoreIsAtLatestVersion()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"dbops.sqlite"_s);
        {
            Store store(path);
            auto opened = store.open();
            QVERIFY2(opened, opened ? "" : qPrintable(opened.error().toString()));
            QVERIFY(Store::latestSchemaVersion() >= 1);
            QCOMPARE(store.schemaVersion(), Store::latestSchemaVersion());
            QCOMPARE(store.path(), path);
            // Opening again changes nothing and keeps the version.
            QVERIFY(store.open());
            QCOMPARE(store.schemaVersion(), Store::latestSchemaVersion());
        }
        Store again(path);
        QVERIFY(again.open());
        QCOMPARE(again.schemaVersion(), Store::latestSchemaVersion());
        QSqlQuery q(again.database());
        QVERIFY(q.exec(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('profiles', 'audit_log', 'dbops_meta')"_s));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 3);
    }

    void newerStoreIsRefusedUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"dbops.sqlite"_s);
        const int newer = Store::latestSchemaVersion() + 5;
        {
            Store store(path);
            QVERIFY(store.open());
            store.exec(u"UPDATE dbops_meta SET value = ? WHERE key = 'schema_version'"_s, {QString::number(newer)});
            store.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
        }
        backdate(path);
        const FileState before = stateOf(path);
        QVERIFY(!before.hash.isEmpty());
        {
            Store store(path);
            auto opened = store.open();
            QVERIFY(!opened);
            QCOMPARE(opened.error().code, ErrorCode::BadInput);
            const QString msg = opened.error().toString();
            QVERIFY2(msg.contains(QString::number(newer)) && msg.contains(QString::number(Store::latestSchemaVersion())), qPrintable(msg));
            QVERIFY2(msg.contains(path), qPrintable(msg));
        }
        QCOMPARE(stateOf(path).hash, before.hash);
        QCOMPARE(stateOf(path).mtime, before.mtime);
    }

    void notAStoreIsRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("sqlite"); // when set, a SQLite file made of these statements
        QTest::newRow("text file") << QByteArray("hello, I am a text file\n") << QStringList();
        QTest::newRow("binary junk") << QByteArray(4096, '\x7f') << QStringList();
        QTest::newRow("another app's SQLite") << QByteArray()
                                              << QStringList{u"CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)"_s,
                                                             u"INSERT INTO invoices(total) VALUES (9.5)"_s};
    }
    void notAStoreIsRefused()
    {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, sqlite);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"dbops.sqlite"_s);
        if (sqlite.isEmpty())
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        else
            writeSqlite(path, sqlite);
        backdate(path);
        const FileState before = stateOf(path);
        {
            Store store(path);
            auto opened = store.open();
            QVERIFY2(!opened, "a file that is not a dbops store must be refused");
            QCOMPARE(opened.error().code, ErrorCode::BadInput);
            QVERIFY2(opened.error().toString().contains(path), qPrintable(opened.error().toString()));
        }
        QCOMPARE(stateOf(path).hash, before.hash);
        QCOMPARE(stateOf(path).mtime, before.mtime);
    }

    void emptyFileBecomesAStore()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"dbops.sqlite"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        Store store(path);
        QVERIFY(store.open());
        QCOMPARE(store.schemaVersion(), Store::latestSchemaVersion());
    }

    void transactionRollsBack()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        const auto count = [&] {
            QSqlQuery q(store.database());
            q.exec(u"SELECT count(*) FROM audit_log"_s);
            q.next();
            return q.value(0).toInt();
        };
        const QString insert = u"INSERT INTO audit_log(os_user, host, action) VALUES ('u', 'h', ?)"_s;
        QVERIFY_THROWS_EXCEPTION(Exception, store.transaction([&] {
            store.exec(insert, {u"first"_s});
            store.exec(insert, {u"second"_s});
            throw Exception(ErrorCode::Internal, u"changed my mind"_s);
        }));
        QCOMPARE(count(), 0);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, store.transaction([&] {
            store.exec(insert, {u"first"_s});
            throw std::runtime_error("std");
        }));
        QCOMPARE(count(), 0);
        // A failing statement inside is an exception too, and rolls back.
        QVERIFY_THROWS_EXCEPTION(Exception, store.transaction([&] {
            store.exec(insert, {u"first"_s});
            store.exec(u"INSERT INTO no_such_table VALUES (1)"_s);
        }));
        QCOMPARE(count(), 0);
        store.transaction([&] { store.exec(insert, {u"kept"_s}); });
        QCOMPARE(count(), 1);
    }

    void storeFromAnotherThread()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        ProfileStore profiles(store);
        QVERIFY(profiles.save(pgProfile(u"main"_s)));
        QString seen;
        std::unique_ptr<QThread> t(QThread::create([&] {
            auto p = profiles.get(u"main"_s);
            seen = p ? p->host : p.error().message;
        }));
        const QStringList before = QSqlDatabase::connectionNames();
        t->start();
        QVERIFY(t->wait(60000));
        QCOMPARE(seen, u"db.example"_s);
        // The thread's connection is closed when QThread finishes, before wait() returns.
        QCOMPARE(QSqlDatabase::connectionNames(), before);
    }

    void jobEndClosesItsStoreConnections()
    {
        // A pool worker outlives its job (and, in the CLI, is joined at exit): the connections a job
        // opened are closed on its worker before it reports its end, never left to the thread's
        // exit, when exit() may already be destroying Qt SQL (issue 10).
        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        ProfileStore profiles(store);
        QVERIFY(profiles.save(pgProfile(u"main"_s)));
        const QStringList before = QSqlDatabase::connectionNames(); // this thread's connection
        QCOMPARE(Store::openConnectionCount(), 1);

        QThreadPool pool;
        pool.setMaxThreadCount(1);
        pool.setExpiryTimeout(-1); // the worker stays: only the job's end can close its connection
        QStringList during;
        int openDuring = 0;
        Job job(u"reads the store"_s, [&](JobContext &) {
            auto p = profiles.get(u"main"_s);
            during = QSqlDatabase::connectionNames();
            openDuring = Store::openConnectionCount();
            return QVariant(p ? p->host : p.error().message);
        });
        QStringList afterEnd;
        bool ended = false;
        // Directly on the worker, as its last act: nothing of the job runs after `finished`.
        connect(
            &job, &Job::finished, &job,
            [&] {
                afterEnd = QSqlDatabase::connectionNames();
                ended = true;
            },
            Qt::DirectConnection);
        pool.start(&job);
        QTRY_VERIFY_WITH_TIMEOUT(ended, 60000);
        QCOMPARE(job.result().toString(), u"db.example"_s);
        QCOMPARE(openDuring, 1);
        QCOMPARE(during.size(), before.size() + 1);
        QCOMPARE(afterEnd, before);
        QCOMPARE(QSqlDatabase::connectionNames(), before);

        // A job run on a thread that already had a connection keeps it (the caller may hold it).
        QSqlDatabase mine = store.database();
        Job here(u"on this thread"_s, [&](JobContext &) { return QVariant(profiles.get(u"main"_s).has_value()); });
        here.run();
        QVERIFY(here.result().toBool());
        QVERIFY(mine.isOpen());
        QCOMPARE(QSqlDatabase::connectionNames(), before);
        QVERIFY(pool.waitForDone(60000));
    }

    void damagedStoreIsRefusedUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"dbops.sqlite"_s);
        {
            Store store(path);
            QVERIFY(store.open());
            store.transaction([&] {
                for (int i = 0; i < 2000; ++i)
                    store.exec(u"INSERT INTO audit_log(os_user, host, action, details) VALUES ('u', 'h', 'a', ?)"_s,
                               {QString(200, QChar(u'a' + i % 26))});
            });
            store.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
        }
        QElapsedTimer timer;
        timer.start();
        {
            Store healthy(path);
            QVERIFY(healthy.open());
        }
        qInfo("open (with quick_check) of a %lld-byte store: %lld ms", qlonglong(QFileInfo(path).size()), qlonglong(timer.elapsed()));

        // Damage one page in the middle of the file (a b-tree page of audit_log), not the header.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const QByteArray header = f.read(100);
        const int sizeField = quint8(header.at(16)) << 8 | quint8(header.at(17));
        const int pageSize = sizeField == 1 ? 65536 : sizeField;
        const qint64 pages = f.size() / pageSize;
        QVERIFY2(pages > 20, "the store must span many pages");
        QVERIFY(f.seek((pages / 2) * pageSize));
        QVERIFY(f.write(QByteArray(pageSize, '\x55')) == pageSize);
        f.close();
        backdate(path);
        const FileState before = stateOf(path);

        {
            Store store(path);
            auto opened = store.open();
            QVERIFY2(!opened, "a damaged store must be refused");
            QCOMPARE(opened.error().code, ErrorCode::BadInput);
            const QString msg = opened.error().toString();
            QVERIFY2(msg.contains(path) && msg.contains(u"damaged"_s) && msg.contains(u"quick_check"_s), qPrintable(msg));
            QVERIFY2(!opened.error().detail.isEmpty(), "the detail says what SQLite found");
        }
        QCOMPARE(stateOf(path), before);

        // The CLI, reading and writing: exit 2, the path named, the file unchanged.
        for (const QStringList &args :
             {QStringList{u"profiles"_s, u"list"_s}, QStringList{u"profiles"_s, u"add"_s, u"x"_s, u"--env"_s, u"development"_s, u"--host"_s,
                                                                 u"h"_s, u"--dbname"_s, u"d"_s, u"--user"_s, u"u"_s}})
        {
            QProcess p;
            p.setProcessEnvironment(dbops::test::cliEnvironment({}, dir.path()));
            p.start(dbops::test::PgFixture::cliPath(), args);
            QVERIFY2(p.waitForFinished(120000), qPrintable(args.join(u' ')));
            const QString err = QString::fromUtf8(p.readAllStandardError());
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QVERIFY2(p.exitCode() == 2, qPrintable(args.join(u' ') + u": exit "_s + QString::number(p.exitCode()) + u'\n' + err));
            QVERIFY2(err.contains(path) && err.contains(u"damaged"_s), qPrintable(err));
            QCOMPARE(stateOf(path), before);
        }
    }

    // --- ProfileStore ------------------------------------------------------------------------------

    void profilesCrud()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        ProfileStore profiles(store);
        QCOMPARE(profiles.list()->size(), 0);

        ConnectionProfile prod = pgProfile(u"orders prod"_s, Environment::Production);
        prod.project = u"orders"_s;
        prod.sslMode = u"verify-full"_s;
        prod.sslRootCert = u"/etc/ssl/root.crt"_s;
        prod.migrationsDir = u"/src/orders/migrations"_s;
        prod.savePassword = true;
        auto saved = profiles.save(prod);
        QVERIFY2(saved, saved ? "" : qPrintable(saved.error().toString()));
        QVERIFY(saved->id > 0);
        QVERIFY(profiles.save(pgProfile(u"Alpha dev"_s)));
        ConnectionProfile lite;
        lite.name = u"local-sqlite"_s;
        lite.kind = ConnectionProfile::Kind::Sqlite;
        lite.sqlitePath = u"/tmp/app.db"_s;
        QVERIFY(profiles.save(lite));

        const auto all = profiles.list();
        QVERIFY(all);
        QStringList names;
        for (const auto &p : *all)
            names << p.name;
        QCOMPARE(names, (QStringList{u"Alpha dev"_s, u"local-sqlite"_s, u"orders prod"_s})); // by name, case-insensitive

        auto got = profiles.get(u"orders prod"_s);
        QVERIFY(got);
        QCOMPARE(got->id, saved->id);
        QCOMPARE(dbops::toString(got->environment), dbops::toString(Environment::Production));
        QCOMPARE(got->project, u"orders"_s);
        QCOMPARE(got->host, u"db.example"_s);
        QCOMPARE(got->port, 5432);
        QCOMPARE(got->sslMode, u"verify-full"_s);
        QCOMPARE(got->sslRootCert, u"/etc/ssl/root.crt"_s);
        QCOMPARE(got->migrationsDir, u"/src/orders/migrations"_s);
        QVERIFY(got->savePassword);
        QVERIFY(got->isProduction());
        QCOMPARE(profiles.get(u"local-sqlite"_s)->sqlitePath, u"/tmp/app.db"_s);
        QVERIFY(profiles.get(u"local-sqlite"_s)->isSqlite());

        // Update by id.
        got->host = u"db2.example"_s;
        QVERIFY(profiles.save(*got));
        QCOMPARE(profiles.get(u"orders prod"_s)->host, u"db2.example"_s);
        QCOMPARE(profiles.list()->size(), 3);

        // Remove.
        QVERIFY(profiles.remove(u"Alpha dev"_s));
        QCOMPARE(profiles.list()->size(), 2);
        auto gone = profiles.remove(u"Alpha dev"_s);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
    }

    void duplicateNameRefused()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        ProfileStore profiles(store);
        QVERIFY(profiles.save(pgProfile(u"prod"_s)));
        auto dup = profiles.save(pgProfile(u"prod"_s));
        QVERIFY(!dup);
        QCOMPARE(dup.error().code, ErrorCode::BadInput);
        QVERIFY(dup.error().message.contains(u"already exists"_s));
        // Renaming another profile onto it is refused too.
        auto other = profiles.save(pgProfile(u"staging"_s));
        QVERIFY(other);
        other->name = u"prod"_s;
        auto renamed = profiles.save(*other);
        QVERIFY(!renamed);
        QCOMPARE(renamed.error().code, ErrorCode::BadInput);
        QCOMPARE(profiles.get(u"staging"_s)->id, other->id);
        QCOMPARE(profiles.list()->size(), 2);
    }

    void invalidProfileRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("sslMode");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty name") << QString() << 5432 << QString() << u"h"_s << u"name"_s;
        QTest::newRow("name with slash") << u"a/b"_s << 5432 << QString() << u"h"_s << u"a/b"_s;
        QTest::newRow("name starts with space") << u" x"_s << 5432 << QString() << u"h"_s << u"name"_s;
        QTest::newRow("name too long") << QString(64, u'a') << 5432 << QString() << u"h"_s << u"at most 63"_s;
        QTest::newRow("port too big") << u"p"_s << 70000 << QString() << u"h"_s << u"70000"_s;
        QTest::newRow("negative port") << u"p"_s << -1 << QString() << u"h"_s << u"-1"_s;
        QTest::newRow("bad sslmode") << u"p"_s << 5432 << u"sometimes"_s << u"h"_s << u"sometimes"_s;
        QTest::newRow("no server") << u"p"_s << 0 << QString() << QString() << u"names no server"_s;
    }
    void invalidProfileRefused()
    {
        QFETCH(QString, name);
        QFETCH(int, port);
        QFETCH(QString, sslMode);
        QFETCH(QString, host);
        QFETCH(QString, mentions);
        ConnectionProfile p;
        p.name = name;
        p.port = port;
        p.sslMode = sslMode;
        p.host = host;
        auto v = p.validate();
        QVERIFY(!v);
        QCOMPARE(v.error().code, ErrorCode::BadInput);
        QVERIFY2(v.error().message.contains(mentions), qPrintable(v.error().message));

        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        ProfileStore profiles(store);
        QCOMPARE(profiles.save(p).error().code, ErrorCode::BadInput);
        QCOMPARE(profiles.list()->size(), 0);
    }

    void notFoundListsNames()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        ProfileStore profiles(store);
        auto none = profiles.get(u"prod"_s);
        QCOMPARE(none.error().code, ErrorCode::NotFound);
        QVERIFY2(none.error().message.contains(u"none"_s), qPrintable(none.error().message));
        QVERIFY(profiles.save(pgProfile(u"dev"_s)));
        QVERIFY(profiles.save(pgProfile(u"staging"_s)));
        auto missing = profiles.get(u"prod"_s);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY2(missing.error().message.contains(u"'prod'"_s) && missing.error().message.contains(u"dev, staging"_s),
                 qPrintable(missing.error().message));
    }

    // --- ConnectionProfile -----------------------------------------------------------------------

    void fromUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("sslMode");
        QTest::addColumn<QString>("conninfo");
        QTest::newRow("uri with password") << u"postgresql://app:Hunter2Secret@db.example:6432/orders?sslmode=require"_s
                                           << u"Hunter2Secret"_s << u"db.example"_s << 6432 << u"orders"_s << u"app"_s << u"require"_s
                                           << QString();
        QTest::newRow("keyword string") << u"host=/var/run/postgresql port=5433 dbname=app user=me application_name=x"_s << QString()
                                        << u"/var/run/postgresql"_s << 5433 << u"app"_s << u"me"_s << QString() << u"application_name=x"_s;
        QTest::newRow("keyword with password") << u"host=h dbname=d password='Pw With Space' connect_timeout=3"_s << u"Pw With Space"_s
                                               << u"h"_s << 0 << u"d"_s << QString() << QString() << u"connect_timeout=3"_s;
    }
    void fromUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, password);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, database);
        QFETCH(QString, user);
        QFETCH(QString, sslMode);
        QFETCH(QString, conninfo);
        QString pw = u"untouched"_s;
        auto p = ConnectionProfile::fromUrl(u"x"_s, url, &pw);
        QVERIFY2(p, p ? "" : qPrintable(p.error().toString()));
        QCOMPARE(pw, password);
        QCOMPARE(p->host, host);
        QCOMPARE(p->port, port);
        QCOMPARE(p->database, database);
        QCOMPARE(p->user, user);
        QCOMPARE(p->sslMode, sslMode);
        QCOMPARE(p->conninfo, conninfo);
        QVERIFY(!p->isSqlite());
        QVERIFY(p->validate());
        if (!password.isEmpty())
        {
            QVERIFY(!p->conninfo.contains(password));
            QVERIFY(!QJsonDocument(p->toJson()).toJson().contains(password.toUtf8()));
            QVERIFY(!p->targetDescription().contains(password));
            QVERIFY(p->toConnectParams()->password.isEmpty());
        }
        // What the profile gives libpq is what the URL said (minus the password).
        auto params = p->toConnectParams();
        QVERIFY(params);
        auto direct = ConnectParams::parse(url);
        for (const auto &[k, v] : direct->keywords)
            QCOMPARE(params->value(k), v);
    }

    void fromUrlSqlite_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("path");
        QTest::newRow("sqlite:PATH") << u"sqlite:/data/app.db"_s << u"/data/app.db"_s;
        QTest::newRow("sqlite:relative") << u"sqlite:app.db"_s << u"app.db"_s;
        QTest::newRow("sqlite://abs") << u"sqlite:///data/app.db"_s << u"/data/app.db"_s;
    }
    void fromUrlSqlite()
    {
        QFETCH(QString, url);
        QFETCH(QString, path);
        auto p = ConnectionProfile::fromUrl(u"lite"_s, url);
        QVERIFY(p);
        QVERIFY(p->isSqlite());
        QCOMPARE(p->sqlitePath, path);
        QCOMPARE(p->targetDescription(), u"sqlite:"_s + path);
        QCOMPARE(p->toJson()[u"kind"_s].toString(), u"sqlite"_s);
        QCOMPARE(p->toConnectParams().error().code, ErrorCode::BadInput);
    }

    void fromUrlBad_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("empty sqlite") << u"sqlite:"_s;
        QTest::newRow("bad port") << u"postgresql://host:notaport/db"_s;
        QTest::newRow("garbage") << u"host=a = b"_s;
    }
    void fromUrlBad()
    {
        QFETCH(QString, url);
        auto p = ConnectionProfile::fromUrl(u"x"_s, url);
        QVERIFY(!p);
        QCOMPARE(p.error().code, ErrorCode::BadInput);
    }

    void environments()
    {
        QCOMPARE(dbops::toString(parseEnvironment(u"prod"_s).value()), dbops::toString(Environment::Production));
        QCOMPARE(dbops::toString(parseEnvironment(u" Staging "_s).value()), dbops::toString(Environment::Staging));
        QCOMPARE(dbops::toString(parseEnvironment(u"dev"_s).value()), dbops::toString(Environment::Development));
        auto bad = parseEnvironment(u"qa"_s);
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(u"qa"_s));
        QCOMPARE(environmentColor(Environment::Production), u"#c62828"_s);
    }

    // --- AuditLog ------------------------------------------------------------------------------------

    void auditLog()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(u"s.sqlite"_s));
        QVERIFY(store.open());
        AuditLog audit(store);
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        audit.record({.profile = u"prod"_s,
                      .environment = u"production"_s,
                      .action = u"terminate"_s,
                      .target = u"pid 42"_s,
                      .details = u"blocking migration"_s,
                      .outcome = u"ok"_s});
        audit.record({.profile = u"prod"_s,
                      .environment = u"production"_s,
                      .action = u"cancel"_s,
                      .target = u"pid 43"_s,
                      .outcome = u"permission denied"_s});
        auto recent = audit.recent();
        QVERIFY(recent);
        QCOMPARE(recent->size(), 2);
        const AuditEntry &last = recent->at(0); // newest first
        QCOMPARE(last.action, u"cancel"_s);
        QCOMPARE(last.target, u"pid 43"_s);
        QCOMPARE(last.outcome, u"permission denied"_s);
        const AuditEntry &first = recent->at(1);
        QCOMPARE(first.action, u"terminate"_s);
        QCOMPARE(first.details, u"blocking migration"_s);
        QCOMPARE(first.profile, u"prod"_s);
        QCOMPARE(first.environment, u"production"_s);
        QCOMPARE(first.osUser, currentOsUser());
        QCOMPARE(first.host, currentHostName());
        QVERIFY(!first.osUser.isEmpty());
        QVERIFY2(first.at.isValid() && first.at >= before && first.at <= QDateTime::currentDateTimeUtc().addSecs(1),
                 qPrintable(first.at.toString(Qt::ISODateWithMs)));
        QVERIFY(last.id > first.id);
        QCOMPARE(audit.recent(1)->size(), 1);
        QCOMPARE(first.toJson()[u"action"_s].toString(), u"terminate"_s);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
