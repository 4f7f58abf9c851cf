#pragma once

#include "core/db/connectparams.h"
#include "core/store/auditlog.h"

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace dbops::test
{
    /// A finished (or abandoned) run of the dbops CLI.
    struct CliResult
    {
        int exitCode = -1; ///< -1 when it crashed, timed out or did not start
        QString out;
        QString err;
        bool crashed = false;
        bool timedOut = false;

        /// stdout and stderr, for failure messages.
        QString both() const;
        /// stdout as one JSON object (empty when it is not one).
        QJsonObject json() const;
    };

    /// How a CLI run is set up beyond its arguments.
    struct CliOptions
    {
        QStringList env;          ///< "NAME=value" on top of cliEnvironment()
        QString home;             ///< DBOPS_HOME; empty: PgFixture::home()
        int timeoutMs = 120000;   ///< a bound for a failure only
        bool closedStdin = false; ///< stdin is /dev/null (else an open pipe nobody writes)
    };

    /// The environment of every dbops child: DBOPS_HOME = `home` (empty: PgFixture::home()), no
    /// keychain, and nothing of the caller's DATABASE_URL, MIGRATIONS_DIR, RUN_MIGRATIONS,
    /// MIGRATION_*, PGPASSWORD, PSQLRC or DBOPS_DEBUG, so every run uses the documented defaults;
    /// then `extraEnv` ("NAME=value") on top.
    QProcessEnvironment cliEnvironment(const QStringList &extraEnv = {}, const QString &home = {});

    /// Runs the dbops CLI ($DBOPS_CLI) to its end with cliEnvironment(); waits up to timeoutMs.
    CliResult runCli(const QStringList &args, const QStringList &extraEnv = {}, int timeoutMs = 120000);
    CliResult runCli(const QStringList &args, const CliOptions &options);
    /// Starts the CLI without waiting (owned by parent).
    QProcess *startCli(const QStringList &args, QObject *parent, const QStringList &extraEnv = {});

    /// The newest `limit` records of the audit log of the CLI's store in `home` (empty:
    /// PgFixture::home()), newest first, as the CLI wrote them; the store's error otherwise.
    Expected<QList<AuditEntry>> cliAudit(const QString &home = {}, int limit = 50);

    /// The sandbox's URL of a database made by PgFixture::newDatabase (for --db).
    QString url(const ConnectParams &db);
}
