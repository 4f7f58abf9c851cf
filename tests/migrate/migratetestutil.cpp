#include "tests/migrate/migratetestutil.h"

#include "core/paths.h"
#include "tests/support/pgfixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

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
