#include "tests/migrate/migratetestutil.h"

#include "core/paths.h"
#include "tests/support/pgfixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes)
    {
        QDir().mkpath(dir);
        const QString path = dir + u'/' + name;
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(bytes);
        return path;
    }

    void copyDemoMigrations(const QString &dir)
    {
        const QDir demo(paths::demoMigrationsDir());
        QDir().mkpath(dir);
        for (const QString &name : demo.entryList({u"*.sql"_s}, QDir::Files))
            QFile::copy(demo.filePath(name), dir + u'/' + name);
    }

    HungListener::HungListener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(m_fd, 64) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
            qFatal("cannot listen on 127.0.0.1");
        m_port = ntohs(addr.sin_port);
    }

    HungListener::~HungListener()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    Expected<QVariant> runInJob(const std::function<QVariant(JobContext &)> &body)
    {
        Job job(u"test"_s, body);
        job.run();
        if (job.state() == JobState::Succeeded)
            return job.result();
        return std::unexpected(job.error());
    }

    namespace
    {
        QProcessEnvironment environment(const QStringList &extraEnv)
        {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(u"DBOPS_HOME"_s, PgFixture::home());
            env.insert(u"DBOPS_KEYCHAIN"_s, u"off"_s);
            env.remove(u"DATABASE_URL"_s);
            env.remove(u"MIGRATIONS_DIR"_s);
            for (const char *name : {"RUN_MIGRATIONS", "MIGRATION_MAX_RETRIES", "MIGRATION_LOCK_TIMEOUT", "MIGRATION_MAX_WAIT_TIME",
                                     "MIGRATION_RETRY_BACKOFF"})
                env.remove(QString::fromLatin1(name));
            for (const QString &kv : extraEnv)
                env.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
            return env;
        }
    }

    QProcess *startCli(const QStringList &args, QObject *parent, const QStringList &extraEnv)
    {
        auto *p = new QProcess(parent);
        p->setProcessEnvironment(environment(extraEnv));
        p->start(PgFixture::cliPath(), args);
        return p;
    }

    CliResult runCli(const QStringList &args, const QStringList &extraEnv, int timeoutMs)
    {
        QProcess p;
        p.setProcessEnvironment(environment(extraEnv));
        p.start(PgFixture::cliPath(), args);
        CliResult r;
        if (!p.waitForFinished(timeoutMs))
        {
            p.kill();
            p.waitForFinished();
            r.err = u"timed out"_s;
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }
}
