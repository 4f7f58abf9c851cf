#pragma once

#include "core/db/profile.h"
#include "core/error.h"

#include <QCommandLineParser>
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
        QStringList args; ///< the command's own arguments, the command name first
        /// A password given inside --db/DATABASE_URL, used for this run only: kept in memory, never
        /// in the environment (children such as pg_dump would inherit it) or a file.
        QString urlPassword;
    };

    using Handler = int (*)(Context &);

    struct Command
    {
        const char *name;
        const char *summary;
        Handler handler;
    };

    QTextStream &out();
    QTextStream &err();

    /// Prints the error on stderr and returns its exit code.
    int report(const Error &error);
    /// Parses args; on --help prints help and returns 0 via `exitCode`; on bad usage (an unknown
    /// option, a missing value, more than `maxPositional` positional arguments) prints and sets
    /// exitCode 2. With --json defined and given, every later report() also prints the error as
    /// one JSON document. Returns false when the command must stop.
    bool parse(QCommandLineParser &parser, const Context &ctx, const QString &description, int *exitCode, int maxPositional = 0);
    /// Prints one JSON document on stdout (a command prints at most one).
    void printJson(const QJsonDocument &doc);

    /// Adds the standard target options: --db, --profile.
    void addTargetOptions(QCommandLineParser &parser);
    /// The target: --db URL, --profile NAME, else $DATABASE_URL (DESIGN.md, Contracts).
    Expected<ConnectionProfile> resolveTarget(const QCommandLineParser &parser, Context &ctx);
    /// Runs a job to completion on the worker pool, printing its progress on stderr; Ctrl-C cancels.
    Expected<QVariant> runJob(Context &ctx, const QString &title, std::function<QVariant(JobContext &)> body);
    /// Runs body(password, job) as a job. When the server asks for a password and none is known,
    /// prompts on the terminal and tries once more. `password` starts as the one given in --db.
    Expected<QVariant> runWithPassword(Context &ctx, const ConnectionProfile &profile, const QString &title,
                                       std::function<QVariant(const QString &password, JobContext &)> body);
    /// Runs `work` in a job on a fresh connection to the target. Prompts for a password on the
    /// terminal when the server asks for one and none is known, then tries once more.
    Expected<QVariant> withConnection(Context &ctx, const ConnectionProfile &profile, const QString &title,
                                      std::function<QVariant(PgConnection &, JobContext &)> work);

    /// Reads a line from the terminal without echo. Empty when there is no terminal.
    QString promptPassword(const QString &prompt);
    /// Asks a yes/no question on the terminal; false without a terminal.
    bool confirm(const QString &question);
    /// Asks the user to type `expected` exactly (production confirmations).
    bool confirmTyped(const QString &question, const QString &expected);
}
