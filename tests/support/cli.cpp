#include "tests/support/cli.h"

#include "core/store/store.h"
#include "tests/support/pgfixture.h"

#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    QString CliResult::both() const
    {
        return out + u"\n--- stderr ---\n"_s + err;
    }

    QJsonObject CliResult::json() const
    {
        return QJsonDocument::fromJson(out.toUtf8()).object();
    }

    QProcessEnvironment cliEnvironment(const QStringList &extraEnv, const QString &home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith(u"MIGRATION_"_s))
                env.remove(name);
        for (const char *name : {"DATABASE_URL", "MIGRATIONS_DIR", "RUN_MIGRATIONS", "PGPASSWORD", "PSQLRC", "DBOPS_DEBUG"})
            env.remove(QString::fromLatin1(name));
        env.insert(u"DBOPS_HOME"_s, home.isEmpty() ? PgFixture::home() : home);
        env.insert(u"DBOPS_KEYCHAIN"_s, u"off"_s);
        for (const QString &kv : extraEnv)
            env.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
        return env;
    }

    QProcess *startCli(const QStringList &args, QObject *parent, const QStringList &extraEnv)
    {
        auto *p = new QProcess(parent);
        p->setProcessEnvironment(cliEnvironment(extraEnv));
        p->start(PgFixture::cliPath(), args);
        return p;
    }

    CliResult runCli(const QStringList &args, const QStringList &extraEnv, int timeoutMs)
    {
        return runCli(args, CliOptions{.env = extraEnv, .timeoutMs = timeoutMs});
    }

    CliResult runCli(const QStringList &args, const CliOptions &options)
    {
        QProcess p;
        p.setProcessEnvironment(cliEnvironment(options.env, options.home));
        if (options.closedStdin)
            p.setStandardInputFile(QProcess::nullDevice());
        p.start(PgFixture::cliPath(), args);
        CliResult r;
        if (!p.waitForFinished(options.timeoutMs))
        {
            r.timedOut = p.state() != QProcess::NotRunning;
            const QString why = r.timedOut ? u"timed out"_s : u"did not run: "_s + p.errorString();
            p.kill();
            p.waitForFinished();
            r.err = why;
            return r;
        }
        r.crashed = p.exitStatus() != QProcess::NormalExit;
        r.exitCode = r.crashed ? -1 : p.exitCode();
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    Expected<QList<AuditEntry>> cliAudit(const QString &home, int limit)
    {
        Store store((home.isEmpty() ? PgFixture::home() : home) + u"/dbops.sqlite"_s);
        if (auto opened = store.open(); !opened)
            return std::unexpected(opened.error());
        return AuditLog(store).recent(limit);
    }

    QString url(const ConnectParams &db)
    {
        return PgFixture::sandbox().url(db.value(u"dbname"_s));
    }
}
