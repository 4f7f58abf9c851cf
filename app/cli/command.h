#pragma once

#include "app/cli/common.h"

#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <limits>
#include <optional>

namespace dbops::cli
{
    /// The type of an option's value or of a positional argument. The driver checks it before the
    /// command body runs: an ill-typed value is exit 2 naming the option and the value.
    enum class ValueType
    {
        Flag,    ///< an option without a value
        String,  ///< any text (empty only with `allowEmpty`)
        Version, ///< a migration version; given-but-empty is passed on (the engine names the known ones)
        Integer, ///< a whole number in [min, max]
        Choice,  ///< one of `choices`
        Path,    ///< a file or folder; never empty
        Seconds, ///< a duration in whole seconds in [min, max]
        Millis,  ///< a duration in whole milliseconds in [min, max]
    };

    enum class Arity
    {
        Required,
        Optional,
        Repeatable, ///< zero or more (a positional: must be last)
    };

    /// One option: `--name VALUE` (or `--name=VALUE`), or `--name` for a flag.
    struct OptionSpec
    {
        QString name; ///< without the dashes
        ValueType type = ValueType::Flag;
        QString valueName; ///< shown in help: --target <version>
        QString help;
        Arity arity = Arity::Optional; ///< Required: the command does not run without it
        qint64 min = 0;                ///< Integer/Seconds/Millis
        qint64 max = std::numeric_limits<int>::max();
        QStringList choices;     ///< Choice
        QString env;             ///< an environment variable used when the option is not given
        bool allowEmpty = false; ///< String: '' is a value of its own (e.g. "unpin")
    };

    /// One positional argument, in the order given.
    struct ArgumentSpec
    {
        QString name; ///< shown in usage (NAME, ID, start|stop|url|status)
        ValueType type = ValueType::String;
        QString help;
        Arity arity = Arity::Required;
        qint64 min = 0;
        qint64 max = std::numeric_limits<int>::max();
        QStringList choices;
        QString what; ///< how errors call it ("sandbox action", "pid", "backup id"); default: name
    };

    /// The typed values of one invocation, after validation.
    class Values final
    {
    public:
        /// Given on the command line, or taken from the option's environment variable.
        bool isSet(const QString &option) const { return m_values.contains(option); }
        /// Given on the command line (not from the environment).
        bool given(const QString &option) const { return isSet(option) && !m_fromEnv.contains(option); }
        bool flag(const QString &option) const { return isSet(option); }
        QString text(const QString &option, const QString &fallback = {}) const { return m_values.value(option, {fallback}).constLast(); }
        QStringList all(const QString &option) const { return m_values.value(option); }
        /// An Integer/Seconds/Millis value (already checked), or `fallback` when not set.
        qint64 integer(const QString &option, qint64 fallback = 0) const;
        /// Where a set value came from: "--name" or the variable's name (for messages).
        QString source(const QString &option) const;

        QString arg(const QString &name, const QString &fallback = {}) const { return m_args.value(name, {fallback}).value(0, fallback); }
        QStringList args(const QString &name) const { return m_args.value(name); }
        bool hasArg(const QString &name) const { return m_args.contains(name); }
        qint64 argInteger(const QString &name, qint64 fallback = 0) const;

    private:
        friend class Driver;
        QMap<QString, QStringList> m_values;
        QMap<QString, QString> m_fromEnv; ///< option -> variable
        QMap<QString, QStringList> m_args;
    };

    /// What a command body hands back; the driver prints it: the JSON document with --json, else
    /// the text; then `stderrAfter`; an error is printed as report() does (one JSON document with
    /// --json). The process exits with `exitCode`, or the error's own code when it is not set.
    struct Output
    {
        QJsonValue json;     ///< an object (or array); printed with --json
        QString text;        ///< printed without --json
        QString stderrAfter; ///< lines for stderr after the document (what failed, what stays)
        std::optional<Error> error;
        std::optional<int> exitCode;
        bool printed = false; ///< the body printed its output itself (a --watch stream)

        static Output document(QJsonValue json, QString text, int exitCode = 0)
        {
            Output o;
            o.json = std::move(json);
            o.text = std::move(text);
            o.exitCode = exitCode;
            return o;
        }
        static Output failure(Error error, std::optional<int> exitCode = std::nullopt)
        {
            Output o;
            o.error = std::move(error);
            o.exitCode = exitCode;
            return o;
        }
    };

    struct Invocation;
    /// A command body: runs with validated, typed values. It may throw Exception (reported as is).
    using Body = std::function<Output(Invocation &)>;

    /// A command, declared: the driver parses, validates, prints --help, runs and prints.
    struct CommandSpec
    {
        QString name;        ///< "info", or "profiles add" (group and subcommand)
        QString summary;     ///< one line, for the command list
        QString description; ///< the help text's paragraph
        QList<ArgumentSpec> arguments;
        QList<OptionSpec> options;
        QList<QStringList> exclusive;             ///< groups of options of which at most one may be given
        QList<std::pair<QString, QString>> needs; ///< {a, b}: --a only together with --b (requires)
        QStringList aliases;                      ///< other names of the subcommand ("rm")
        Body body;
    };

    /// What a body sees: the services, the typed values, and whether --json was asked for.
    struct Invocation
    {
        Context &ctx;
        const Values &values;
        const CommandSpec &spec;
        bool json = false;
    };

    /// Subcommands under one word ("profiles", "backups"). With `defaultCommand` set, a group word
    /// followed by nothing or by an option runs that subcommand ("backups --json" lists).
    struct CommandGroup
    {
        QString name;
        QString summary;
        QString defaultCommand; ///< e.g. "list"; empty: the group alone prints its usage
        QList<CommandSpec> commands;
    };

    /// The shared option declarations.
    QList<OptionSpec> targetOptions();
    OptionSpec jsonOption(const QString &help = {});
    /// The --db/--profile exclusion, for CommandSpec::exclusive.
    QStringList targetExclusion();

    /// The target of a command that declares targetOptions(): --db URL, --profile NAME, else
    /// $DATABASE_URL (DESIGN.md, Contracts). A password inside --db is kept in ctx.urlPassword.
    Expected<ConnectionProfile> resolveTarget(const Values &values, Context &ctx);

    /// Runs one command: parse and validate args (the command's words first), print --help, run
    /// the body, print its output. Anything unknown, extra, missing or ill-typed is exit 2 naming
    /// it, before the body runs (nothing connects or changes).
    int runCommand(const CommandSpec &spec, Context &ctx, const QStringList &args);
    /// Picks the subcommand of a group from args (the group word first) and runs it.
    int runGroup(const CommandGroup &group, Context &ctx, const QStringList &args);
    /// The usage line of a command: "dbops profiles add NAME [options]".
    QString synopsis(const CommandSpec &spec);
}
