// The product's Sandbox: start, connect, ports, stop, clean-up, persistence, binaries (STYLE T4).
#include "core/db/pgconnection.h"
#include "core/sandbox/pgbinaries.h"
#include "core/sandbox/sandbox.h"
#include "tests/support/pgfixture.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>
#include <QUuid>

#include <pwd.h>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;

namespace
{
    int installedMajor()
    {
        const auto all = findPgInstallations(u"initdb"_s);
        return all.isEmpty() ? 0 : all.first().major;
    }
}

class TestSandbox final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void findsInstalledPostgres()
    {
        const QList<PgInstallation> all = findPgInstallations(u"initdb"_s);
        QVERIFY(!all.isEmpty());
        bool has15 = false;
        for (const PgInstallation &i : all)
            if (i.major == 15 && i.binDir == u"/usr/lib/postgresql/15/bin"_s)
                has15 = true;
        QVERIFY2(has15, "PostgreSQL 15 from /usr/lib/postgresql is not found");
        for (int i = 1; i < all.size(); ++i)
            QVERIFY(all[i - 1].major >= all[i].major); // highest first
        QCOMPARE(programMajorVersion(u"/usr/lib/postgresql/15/bin/initdb"_s), 15);
        QCOMPARE(programMajorVersion(u"/bin/true"_s), 0);
        QVERIFY(findPgInstallations(u"no-such-pg-program"_s).isEmpty());
    }

    void fixtureSandboxRuns()
    {
        Sandbox &s = PgFixture::sandbox();
        QVERIFY(s.isRunning());
        QVERIFY(s.isInitialised());
        QCOMPARE(s.majorVersion(), installedMajor());
        QVERIFY(s.port() > 0);
        QVERIFY(QFileInfo::exists(s.socketDir() + u"/.s.PGSQL.%1"_s.arg(s.port())));
        auto conn = PgConnection::open(s.connectParams());
        QVERIFY(conn->serverVersion().startsWith(QString::number(s.majorVersion()) + u'.'));
        QCOMPARE(conn->exec(u"SHOW port"_s).value(0, 0).toString(), QString::number(s.port()));
        // Our settings reached the server as written.
        QCOMPARE(conn->exec(u"SHOW log_line_prefix"_s).value(0, 0).toString(), u"%m [%p] %q%u@%d "_s);
        QCOMPARE(conn->exec(u"SHOW fsync"_s).value(0, 0).toString(), u"off"_s);
        QCOMPARE(conn->exec(u"SHOW max_connections"_s).value(0, 0).toString(), u"300"_s);
        // The server listens on its private socket only.
        QCOMPARE(conn->exec(u"SHOW listen_addresses"_s).value(0, 0).toString(), QString());
        // The URL form reaches the same server.
        auto params = ConnectParams::parse(s.url(u"postgres"_s));
        QVERIFY(params);
        QCOMPARE(PgConnection::open(*params)->backendPid() > 0, true);
    }

    void dataDirOwnedByPostgresWhenRoot()
    {
        if (!Sandbox::runningAsRoot())
            QSKIP("only meaningful when the tests run as root");
        const passwd *pw = ::getpwnam("postgres");
        QVERIFY(pw);
        const QFileInfo data(PgFixture::sandbox().dataDir());
        QCOMPARE(data.ownerId(), uint(pw->pw_uid));
        // And the server really runs as postgres, not root.
        auto conn = PgConnection::open(PgFixture::sandbox().connectParams());
        QCOMPARE(conn->exec(u"SELECT current_setting('data_directory')"_s).value(0, 0).toString(), data.absoluteFilePath());
    }

    void createDatabase()
    {
        const QString name = u"made_here_%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
        auto params = PgFixture::sandbox().createDatabase(name);
        QVERIFY2(params, params ? "" : qPrintable(params.error().toString()));
        QCOMPARE(params->value(u"dbname"_s), name);
        auto conn = PgConnection::open(*params);
        QCOMPARE(conn->database(), name);
        QCOMPARE(conn->exec(u"SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = $1"_s, {name}).value(0, 0).toString(),
                 u"UTF8"_s);
        auto again = PgFixture::sandbox().createDatabase(name);
        QVERIFY(!again);
        QCOMPARE(again.error().sqlstate, u"42P04"_s);
        // A weird name is quoted, not injected.
        auto weird = PgFixture::sandbox().createDatabase(u"we\"ird db; x"_s);
        QVERIFY2(weird, weird ? "" : qPrintable(weird.error().toString()));
        QCOMPARE(PgConnection::open(*weird)->database(), u"we\"ird db; x"_s);
    }

    void secondSandboxIsSeparateAndCleansUp()
    {
        QString root;
        QString dataDir;
        {
            Sandbox second;
            QVERIFY(!second.isRunning());
            auto started = second.start();
            QVERIFY2(started, started ? "" : qPrintable(started.error().toString()));
            QVERIFY(second.isRunning());
            QVERIFY(second.port() != PgFixture::sandbox().port());
            QVERIFY(second.socketDir() != PgFixture::sandbox().socketDir());
            dataDir = second.dataDir();
            root = QFileInfo(dataDir).absolutePath();
            QVERIFY(QFileInfo::exists(dataDir + u"/PG_VERSION"_s));
            auto conn = PgConnection::open(second.connectParams());
            conn->exec(u"CREATE TABLE only_in_second(x int)"_s);
            auto first = PgConnection::open(PgFixture::sandbox().connectParams());
            QCOMPARE(first->exec(u"SELECT to_regclass('only_in_second') IS NULL"_s).value(0, 0), QVariant(true));
            conn.reset();

            auto stopped = second.stop();
            QVERIFY2(stopped, stopped ? "" : qPrintable(stopped.error().toString()));
            QVERIFY(!second.isRunning());
            QVERIFY(!PgConnection::tryOpen(second.connectParams(), ConnectOptions{.retry = RetryPolicy{.maxRetries = 0}}));
            QVERIFY(second.stop()); // stopping a stopped sandbox is fine
        }
        QVERIFY2(!QFileInfo::exists(root), qPrintable(root + u" should have been removed"_s));
        QVERIFY(PgFixture::sandbox().isRunning()); // the other one is untouched
    }

    void temporarySandboxDestroyedWhileRunning()
    {
        QString root;
        int port = 0;
        QString socketDir;
        {
            Sandbox s;
            QVERIFY(s.start());
            root = QFileInfo(s.dataDir()).absolutePath();
            port = s.port();
            socketDir = s.socketDir();
        }
        QVERIFY(!QFileInfo::exists(root));
        QVERIFY(!QFileInfo::exists(socketDir + u"/.s.PGSQL.%1"_s.arg(port)));
    }

    void persistentSandboxSurvives()
    {
        // Not under a root-only QTemporaryDir: the postgres user must reach it.
        const QString dir = u"/tmp/dbops-persist-"_s + QUuid::createUuid().toString(QUuid::Id128).left(10);
        const auto cleanup = qScopeGuard([&] {
            Sandbox s(SandboxOptions{.dataDir = dir});
            (void)s.stop();
            QDir(dir).removeRecursively();
        });
        int port = 0;
        {
            Sandbox a(SandboxOptions{.dataDir = dir});
            QVERIFY(!a.isInitialised());
            auto started = a.start();
            QVERIFY2(started, started ? "" : qPrintable(started.error().toString()));
            port = a.port();
            PgConnection::open(a.connectParams())->exec(u"CREATE TABLE kept(v text); INSERT INTO kept VALUES ('still here')"_s);
        }
        // Destroying a persistent sandbox leaves it running.
        Sandbox b(SandboxOptions{.dataDir = dir});
        QVERIFY(b.isInitialised());
        QVERIFY(b.isRunning());
        QCOMPARE(b.port(), port);
        QVERIFY(b.start()); // adopts the running server
        QCOMPARE(b.port(), port);
        QCOMPARE(PgConnection::open(b.connectParams())->exec(u"SELECT v FROM kept"_s).value(0, 0).toString(), u"still here"_s);

        QVERIFY(b.stop());
        QVERIFY(!b.isRunning());
        QVERIFY(QFileInfo::exists(dir + u"/PG_VERSION"_s));

        // Started again from its files: same data.
        Sandbox c(SandboxOptions{.dataDir = dir});
        auto restarted = c.start();
        QVERIFY2(restarted, restarted ? "" : qPrintable(restarted.error().toString()));
        QVERIFY(c.isRunning());
        QCOMPARE(PgConnection::open(c.connectParams())->exec(u"SELECT v FROM kept"_s).value(0, 0).toString(), u"still here"_s);
        QVERIFY(c.stop());
        QVERIFY(!c.isRunning());
    }

    void defaultPersistentDir()
    {
        const QString d = Sandbox::defaultPersistentDir(u"/root/.local/share/dbops"_s);
        if (Sandbox::runningAsRoot())
            QVERIFY2(d.startsWith(u"/var/tmp/dbops-sandbox-"_s), qPrintable(d));
        else
            QCOMPARE(d, u"/root/.local/share/dbops/sandbox"_s);
        QCOMPARE(Sandbox::defaultPersistentDir(u"/root/.local/share/dbops"_s), d); // stable
        QVERIFY(Sandbox::defaultPersistentDir(u"/other"_s) != d);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "test_sandbox.moc"
