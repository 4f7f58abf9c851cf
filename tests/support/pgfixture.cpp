#include "tests/support/pgfixture.h"

#include "core/logging/log.h"

#include <QCoreApplication>
#include <QDir>
#include <QUuid>

#include <atomic>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    namespace
    {
        std::unique_ptr<Sandbox> s_sandbox;
        std::unique_ptr<QTemporaryDir> s_home;
        std::atomic<int> s_counter{0};
    }

    bool PgFixture::ensureStarted(QString *why)
    {
        if (s_sandbox && s_sandbox->isRunning())
            return true;
        static bool logging = [] {
            logging::Options o;
            o.toFile = false;
            o.stderrLevel = spdlog::level::warn;
            logging::init(o);
            return true;
        }();
        Q_UNUSED(logging);
        s_sandbox = std::make_unique<Sandbox>();
        // Stop the cluster while the application (and spdlog's registry, which Sandbox::stop logs
        // to) still exists: a namespace-scope static is destroyed after them, at exit().
        static bool cleanup = [] {
            qAddPostRoutine([] { s_sandbox.reset(); });
            return true;
        }();
        Q_UNUSED(cleanup);
        auto started = s_sandbox->start();
        if (!started)
        {
            if (why)
                *why = started.error().toString();
            return false;
        }
        return true;
    }

    Sandbox &PgFixture::sandbox()
    {
        Q_ASSERT(s_sandbox);
        return *s_sandbox;
    }

    ConnectParams PgFixture::newDatabase(const QString &prefix)
    {
        const QString name = prefix.toLower() + u"_"_s + QString::number(::getpid()) + u"_"_s + QString::number(++s_counter);
        auto created = sandbox().createDatabase(name);
        if (!created)
            throw Exception(created.error());
        return *created;
    }

    std::unique_ptr<PgConnection> PgFixture::connect(const ConnectParams &params)
    {
        return PgConnection::open(params);
    }

    QString PgFixture::cliPath()
    {
        return qEnvironmentVariable("DBOPS_CLI");
    }

    QString PgFixture::home()
    {
        if (!s_home)
            s_home = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/dbops-home-XXXXXX"_s);
        return s_home->path();
    }

    void forgetPasswords()
    {
        qunsetenv("PGPASSWORD");
        qunsetenv("PGPASSFILE");
        qputenv("PGPASSFILE", "/nonexistent/dbops-test-pgpass");
    }

    void quietLogging()
    {
        logging::Options options;
        options.toStderr = false;
        options.toFile = false;
        logging::init(options);
    }

    void usePrivateHome(const QString &home)
    {
        qputenv("DBOPS_HOME", home.toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
        quietLogging();
    }

    bool tableExists(PgConnection &conn, const QString &name)
    {
        return conn.exec(u"SELECT to_regclass($1) IS NOT NULL"_s, {name}).value(0, 0).toBool();
    }

    bool databaseExists(const QString &name)
    {
        auto conn = PgFixture::connect(PgFixture::sandbox().connectParams());
        return conn->exec(u"SELECT 1 FROM pg_database WHERE datname = $1"_s, {name}).rowCount() > 0;
    }

    QString newRole(PgConnection &admin, const QString &prefix, const QString &password)
    {
        const QString role = u"%1_%2_%3"_s.arg(prefix).arg(::getpid()).arg(++s_counter);
        admin.exec(u"CREATE ROLE "_s + admin.escapeIdentifier(role) + u" LOGIN PASSWORD "_s + admin.escapeLiteral(password));
        return role;
    }

    ConnectionProfile profileFor(const QString &name, Environment env, const ConnectParams &params, const QString &migrationsDir)
    {
        ConnectionProfile p;
        p.name = name;
        p.environment = env;
        p.host = params.value(u"host"_s);
        p.port = params.value(u"port"_s).toInt();
        p.user = params.value(u"user"_s);
        p.database = params.value(u"dbname"_s);
        p.migrationsDir = migrationsDir;
        return p;
    }
}
