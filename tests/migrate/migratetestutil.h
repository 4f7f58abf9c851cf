#pragma once

#include "core/db/connectparams.h"
#include "core/jobs/job.h"

#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>

namespace dbops::test
{
    /// Writes a file (creating folders); returns its path.
    QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes);
    /// Copies the demo project's migrations into dir.
    void copyDemoMigrations(const QString &dir);

    /// Runs body synchronously as a Job on this thread (the engine's real entry point).
    Expected<QVariant> runInJob(const std::function<QVariant(JobContext &)> &body);

    struct CliResult
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    /// Runs the dbops CLI with a private DBOPS_HOME and no keychain; waits up to timeoutMs.
    CliResult runCli(const QStringList &args, const QStringList &extraEnv = {}, int timeoutMs = 120000);
    /// Starts the CLI without waiting.
    QProcess *startCli(const QStringList &args, QObject *parent, const QStringList &extraEnv = {});
}
