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
    /// A TCP port on 127.0.0.1 that listens and never accepts nor answers: the kernel completes
    /// the handshake, then a client waits for a reply that never comes (a hung server).
    class HungListener final
    {
    public:
        HungListener();
        ~HungListener();
        HungListener(const HungListener &) = delete;
        HungListener &operator=(const HungListener &) = delete;
        quint16 port() const { return m_port; }

    private:
        int m_fd = -1;
        quint16 m_port = 0;
    };

    /// Runs the dbops CLI with a private DBOPS_HOME and no keychain; waits up to timeoutMs.
    CliResult runCli(const QStringList &args, const QStringList &extraEnv = {}, int timeoutMs = 120000);
    /// Starts the CLI without waiting.
    QProcess *startCli(const QStringList &args, QObject *parent, const QStringList &extraEnv = {});
}
