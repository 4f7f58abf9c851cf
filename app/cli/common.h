#pragma once

#include "core/db/profile.h"
#include "core/error.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/operation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTextStream>

#include <functional>
#include <memory>

namespace dbops
{
    class Store;
    class ProfileStore;
    class JobManager;
    class PgConnection;
    class JobContext;
}

namespace dbops::cli
{
    /// What every command gets: the services, built once by the composition root (STYLE L7).
    struct Context
    {
        Store *store = nullptr;
        ProfileStore *profiles = nullptr;
        JobManager *jobs = nullptr;
        QStringList args; ///< the arguments after the program: the command's words first
        /// A password given inside --db/DATABASE_URL (or typed at the prompt), for this run only: in memory, never
        /// in the environment (children such as pg_dump would inherit it) or a file.
        QString urlPassword;
    };

    QTextStream &out();
    QTextStream &err();

    /// Prints the error on stderr and returns its exit code.
    int report(const Error &error);
    /// --json was asked for: report() also prints the error as one JSON document on stdout.
    void setJsonOutput(bool json);
    /// Prints one JSON document on stdout (a command prints at most one).
    void printJson(const QJsonDocument &doc);

    /// ops::needsPassword (the server asked for a password and none was given).
    bool passwordWanted(const Error &error);
    /// Reads a line from the terminal without echo. Empty when there is no terminal.
    QString promptPassword(const QString &prompt);

    /// Prints a job's progress messages on stderr, prefixed with its title.
    void showProgress(Job *job);

    /// Runs a typed job to completion on the worker pool, its progress on stderr; Ctrl-C cancels.
    template <class T>
    JobOutcome<T> runTyped(Context &ctx, TypedJob<T> *job)
    {
        showProgress(job);
        return ctx.jobs->run(job);
    }

    /// Runs body(password, job) as a typed job. When the server asks for a password
    /// (ops::needsPassword) and none was given, asks on the terminal and runs it once more: the
    /// one place the CLI prompts for a password. `password` starts as the one given in --db.
    template <class T>
    JobOutcome<T> runWithPassword(Context &ctx, const ConnectionProfile &profile, const QString &title,
                                  std::function<T(const QString &password, JobContext &)> body)
    {
        QString password = ctx.urlPassword;
        for (int attempt = 0;; ++attempt)
        {
            JobOutcome<T> outcome = runTyped(ctx, makeJob<T>(title, [body, password](JobContext &jc) { return body(password, jc); }));
            if (outcome.ok() || attempt > 0 || !password.isEmpty() || !passwordWanted(*outcome.error))
                return outcome;
            password = promptPassword(QStringLiteral("Password for %1: ").arg(profile.targetDescription()));
            if (password.isEmpty())
                return outcome;
            ctx.urlPassword = password; // given for this run: later jobs of the command use it too
        }
    }

    /// Asks a yes/no question on the terminal; false without a terminal.
    bool confirm(const QString &question);
    /// Asks the user to type `expected` exactly (production confirmations).
    bool confirmTyped(const QString &question, const QString &expected);
    /// The typed confirmation of a production change: `given` (--confirm) when set, else the
    /// terminal prompt. The operation checks it (ops::requireConfirmed); the CLI only collects it.
    ops::Confirmation typedConfirmation(const ConnectionProfile &profile, const QString &what, const std::optional<QString> &given);
}
