#include "app/cli/command.h"

#include "core/store/profilestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    qint64 Values::integer(const QString &option, qint64 fallback) const
    {
        return isSet(option) ? text(option).trimmed().toLongLong() : fallback;
    }

    qint64 Values::argInteger(const QString &name, qint64 fallback) const
    {
        return hasArg(name) ? arg(name).trimmed().toLongLong() : fallback;
    }

    QString Values::source(const QString &option) const
    {
        return m_fromEnv.contains(option) ? m_fromEnv.value(option) : u"--"_s + option;
    }

    QList<OptionSpec> targetOptions()
    {
        OptionSpec db{u"db"_s, ValueType::String, u"url"_s,
                      u"Target: a libpq URI or keyword string, or sqlite:PATH (default: $DATABASE_URL)."_s};
        db.env = u"DATABASE_URL"_s;
        return {db, {u"profile"_s, ValueType::String, u"name"_s, u"Target: a saved connection profile."_s}};
    }

    OptionSpec jsonOption(const QString &help)
    {
        return {u"json"_s, ValueType::Flag, {}, help.isEmpty() ? u"Print one JSON document on stdout."_s : help};
    }

    QStringList targetExclusion()
    {
        return {u"db"_s, u"profile"_s};
    }

    Expected<ConnectionProfile> resolveTarget(const Values &values, Context &ctx)
    {
        if (values.isSet(u"profile"_s))
            return ctx.profiles->get(values.text(u"profile"_s));
        const QString url = values.text(u"db"_s);
        if (url.isEmpty())
            return fail(ErrorCode::Usage, u"no target: give --db URL, --profile NAME, or set DATABASE_URL"_s);
        QString password;
        auto profile = ConnectionProfile::fromUrl(u"command line"_s, url, &password);
        if (!profile)
            return profile;
        ctx.urlPassword = password;
        if (!password.isEmpty() && values.given(u"db"_s))
            err() << "warning: --db carries a password: other local users could read it in the process list (ps) until dbops "
                     "hid it, and it stays in your shell history. Give it in DATABASE_URL, a profile (dbops profiles add) or "
                     "~/.pgpass instead."
                  << Qt::endl;
        return profile;
    }

    namespace
    {
        QString typeText(ValueType type, qint64 min, qint64 max)
        {
            const QString range = max == std::numeric_limits<int>::max() ? u">= %1"_s.arg(min) : u"between %1 and %2"_s.arg(min).arg(max);
            switch (type)
            {
            case ValueType::Integer:
                return u"a whole number "_s + range;
            case ValueType::Seconds:
                return u"a number of seconds "_s + range;
            case ValueType::Millis:
                return u"a number of milliseconds "_s + range;
            default:
                return {};
            }
        }

        /// Checks one value against its type; the error names `who` (--name, NAME or a variable)
        /// and, as `subject`, who with the value ("--jobs 'x'", "MIGRATION_MAX_RETRIES='x'").
        std::optional<QString> checkValue(const QString &who, const QString &subject, const QString &value, ValueType type, qint64 min,
                                          qint64 max, const QStringList &choices, bool allowEmpty)
        {
            switch (type)
            {
            case ValueType::Flag:
                return std::nullopt;
            case ValueType::Version:
                for (const QChar c : value)
                    if (c.category() == QChar::Other_Control)
                        return u"%1 is not a version: it contains a control character"_s.arg(subject);
                return std::nullopt;
            case ValueType::String:
            case ValueType::Path:
                if (value.isEmpty() && !(allowEmpty && type == ValueType::String))
                    return u"%1 needs a value, not an empty one"_s.arg(who);
                return std::nullopt;
            case ValueType::Choice:
                if (!choices.contains(value))
                    return u"%1 is not one of %2"_s.arg(subject, choices.join(u", "_s));
                return std::nullopt;
            case ValueType::Integer:
            case ValueType::Seconds:
            case ValueType::Millis: {
                bool ok = false;
                const qint64 v = value.trimmed().toLongLong(&ok);
                if (!ok || v < min || v > max)
                    return u"%1 is not %2"_s.arg(subject, typeText(type, min, max));
                return std::nullopt;
            }
            }
            return std::nullopt;
        }

        QString wrap(const QString &text, int indent, int width = 100)
        {
            QString out;
            int column = indent;
            for (const QString &word : text.split(u' ', Qt::SkipEmptyParts))
            {
                if (column > indent && column + 1 + word.size() > width)
                {
                    out += u'\n' + QString(indent, u' ');
                    column = indent;
                }
                else if (column > indent)
                {
                    out += u' ';
                    ++column;
                }
                out += word;
                column += int(word.size());
            }
            return out;
        }

        QString argumentUsage(const ArgumentSpec &a)
        {
            switch (a.arity)
            {
            case Arity::Required:
                return a.name;
            case Arity::Optional:
                return u'[' + a.name + u']';
            case Arity::Repeatable:
                return u'[' + a.name + u"...]"_s;
            }
            return a.name;
        }

        QString helpText(const CommandSpec &spec)
        {
            QString text = u"Usage: "_s + synopsis(spec) + u"\n"_s + wrap(spec.description, 0) + u"\n\nOptions:\n"_s;
            QList<std::pair<QString, QString>> rows;
            for (const OptionSpec &o : spec.options)
            {
                QString help = o.help;
                if (o.type == ValueType::Choice && !help.contains(o.choices.value(0)))
                    help += u" One of: "_s + o.choices.join(u", "_s) + u'.';
                if (!o.env.isEmpty() && !help.contains(o.env))
                    help += u" Default: $"_s + o.env + u'.';
                if (o.arity == Arity::Required)
                    help += u" Required."_s;
                rows.append({u"--"_s + o.name + (o.type == ValueType::Flag ? QString() : u" <"_s + o.valueName + u'>'), help});
            }
            rows.append({u"-h, --help"_s, u"Show this help."_s});
            const auto table = [&text](const QList<std::pair<QString, QString>> &list) {
                for (const auto &[left, right] : list)
                    text += u"  "_s + (left.size() > 26 ? left + u"\n"_s + QString(30, u' ') : left.leftJustified(28)) + wrap(right, 30)
                            + u'\n';
            };
            table(rows);
            if (!spec.arguments.isEmpty())
            {
                text += u"\nArguments:\n"_s;
                QList<std::pair<QString, QString>> args;
                for (const ArgumentSpec &a : spec.arguments)
                    args.append({a.name, a.help});
                table(args);
            }
            return text;
        }
    }

    QString synopsis(const CommandSpec &spec)
    {
        QString s = u"dbops "_s + spec.name;
        for (const ArgumentSpec &a : spec.arguments)
            s += u' ' + argumentUsage(a);
        for (const OptionSpec &o : spec.options)
            if (o.arity == Arity::Required)
                s += u" --"_s + o.name + u" <"_s + o.valueName + u'>';
        if (!spec.options.isEmpty())
            s += u" [options]"_s;
        return s;
    }

    /// The one parse/validate/run/print path of every command.
    class Driver final
    {
    public:
        Driver(const CommandSpec &spec, Context &ctx)
            : m_spec(spec)
            , m_ctx(ctx)
        {
        }

        int run(const QStringList &tokens)
        {
            m_json = tokens.contains(u"--json"_s) && option(u"json"_s);
            setJsonOutput(m_json);
            if (wantsHelp(tokens))
            {
                out() << helpText(m_spec);
                out().flush();
                return 0;
            }
            if (auto bad = parse(tokens); bad)
                return usage(*bad);
            if (auto bad = applyEnvironment(); bad)
                return report(Error::make(ErrorCode::BadInput, *bad, u"dbops "_s + m_spec.name));
            if (auto bad = validate(); bad)
                return usage(*bad);
            return execute();
        }

    private:
        const OptionSpec *option(const QString &name) const
        {
            for (const OptionSpec &o : m_spec.options)
                if (o.name == name)
                    return &o;
            return nullptr;
        }

        bool wantsHelp(const QStringList &tokens) const
        {
            for (const QString &t : tokens)
            {
                if (t == u"--"_s)
                    return false;
                if (t == u"--help"_s || t == u"-h"_s)
                    return true;
            }
            return false;
        }

        int usage(const QString &message, const QString &hint = {}) const
        {
            Error e = Error::make(ErrorCode::Usage, message, u"dbops "_s + m_spec.name);
            e.hint = hint.isEmpty() ? u"see 'dbops %1 --help'"_s.arg(m_spec.name) : hint;
            return report(e);
        }

        /// Tokens into option values and positional arguments; unknown, repeated, valueless or
        /// stray input is an error naming it.
        std::optional<QString> parse(const QStringList &tokens)
        {
            QStringList positional;
            bool optionsEnd = false;
            for (qsizetype i = 0; i < tokens.size(); ++i)
            {
                const QString &t = tokens[i];
                const bool looksLikeNumber = t.size() > 1 && t[0] == u'-' && t[1].isDigit();
                if (optionsEnd || !t.startsWith(u'-') || t == u"-"_s || looksLikeNumber)
                {
                    positional.append(t);
                    continue;
                }
                if (t == u"--"_s)
                {
                    optionsEnd = true;
                    continue;
                }
                if (!t.startsWith(u"--"_s))
                    return u"unknown option '%1'; options are spelled --name"_s.arg(t);
                const qsizetype eq = t.indexOf(u'=');
                const QString name = t.mid(2, eq < 0 ? -1 : eq - 2);
                const OptionSpec *o = option(name);
                if (!o)
                    return u"unknown option '--%1'"_s.arg(name);
                if (m_values.m_values.contains(name))
                    return u"--%1 is given twice; give it once"_s.arg(name);
                if (o->type == ValueType::Flag)
                {
                    if (eq >= 0)
                        return u"--%1 takes no value (got '%2')"_s.arg(name, t.mid(eq + 1));
                    m_values.m_values[name] = {QString()};
                    continue;
                }
                QString value;
                if (eq >= 0)
                    value = t.mid(eq + 1);
                else
                {
                    // The next word is the value, unless it is one of this command's options:
                    // "--target --dry-run" is a missing target, not a target named "--dry-run".
                    const QString next = tokens.value(i + 1);
                    const bool nextIsOption = next.startsWith(u"--"_s) && option(next.mid(2).section(u'=', 0, 0));
                    if (i + 1 >= tokens.size() || nextIsOption || next == u"--help"_s)
                        return u"--%1 needs a value: --%1 <%2>"_s.arg(name, o->valueName);
                    value = tokens[++i];
                }
                m_values.m_values[name] = {value};
            }
            return assignPositional(positional);
        }

        std::optional<QString> assignPositional(const QStringList &positional)
        {
            qsizetype next = 0;
            for (const ArgumentSpec &a : m_spec.arguments)
            {
                if (a.arity == Arity::Repeatable)
                {
                    m_values.m_args[a.name] = positional.mid(next);
                    next = positional.size();
                    break;
                }
                if (next < positional.size())
                    m_values.m_args[a.name] = {positional[next++]};
            }
            if (next < positional.size())
            {
                const QString stray = positional[next];
                return m_spec.arguments.isEmpty()
                           ? u"unexpected argument '%1': this command takes no arguments, only options (a value belongs to an option, "
                             u"e.g. --target %1)"_s.arg(stray)
                           : u"unexpected argument '%1': this command takes at most %2 (%3)"_s.arg(stray).arg(next).arg(synopsis(m_spec));
            }
            return std::nullopt;
        }

        /// Options not given take their environment variable's value, typed like the option. A set
        /// variable is checked even when its option was given (a malformed deployment setting is
        /// never silently ignored); an option excluded by one that was given (DATABASE_URL when
        /// --profile is given) takes nothing from the environment.
        std::optional<QString> applyEnvironment()
        {
            for (const OptionSpec &o : m_spec.options)
            {
                if (o.env.isEmpty() || !qEnvironmentVariableIsSet(qPrintable(o.env)))
                    continue;
                bool excluded = false;
                for (const QStringList &group : m_spec.exclusive)
                    if (group.contains(o.name))
                        for (const QString &other : group)
                            excluded = excluded || (other != o.name && m_values.given(other));
                const QString value = qEnvironmentVariable(qPrintable(o.env));
                const bool numeric = o.type == ValueType::Integer || o.type == ValueType::Seconds || o.type == ValueType::Millis;
                if (excluded || (value.isEmpty() && !numeric))
                    continue; // an empty DATABASE_URL is no target, as before
                if (auto bad = checkValue(o.env, u"%1='%2'"_s.arg(o.env, value), value, o.type, o.min, o.max, o.choices, o.allowEmpty); bad)
                    return bad;
                if (m_values.isSet(o.name))
                    continue; // given: the option wins
                m_values.m_values[o.name] = {value};
                m_values.m_fromEnv[o.name] = o.env;
            }
            return std::nullopt;
        }

        std::optional<QString> validate() const
        {
            for (const QStringList &group : m_spec.exclusive)
            {
                QStringList given;
                for (const QString &name : group)
                    if (m_values.given(name))
                        given << u"--"_s + name;
                if (given.size() > 1)
                    return u"%1 exclude each other: give one"_s.arg(given.join(u" and "_s));
            }
            for (const auto &[a, b] : m_spec.needs)
                if (m_values.given(a) && !m_values.isSet(b))
                    return u"--%1 goes with --%2 <%3>"_s.arg(a, b, option(b) ? option(b)->valueName : QString());
            for (const OptionSpec &o : m_spec.options)
            {
                if (!m_values.isSet(o.name))
                {
                    if (o.arity == Arity::Required)
                        return u"dbops %1 needs --%2 <%3>: %4"_s.arg(m_spec.name, o.name, o.valueName, o.help);
                    continue;
                }
                if (m_values.m_fromEnv.contains(o.name))
                    continue; // checked as the variable
                const QString value = m_values.text(o.name);
                if (auto bad = checkValue(u"--"_s + o.name, u"--%1 '%2'"_s.arg(o.name, value), value, o.type, o.min, o.max, o.choices,
                                          o.allowEmpty);
                    bad)
                    return bad;
            }
            for (const ArgumentSpec &a : m_spec.arguments)
            {
                const QString what = a.what.isEmpty() ? a.name : a.what;
                if (!m_values.hasArg(a.name))
                {
                    if (a.arity == Arity::Required)
                        return u"dbops %1 needs exactly one %2: %3"_s.arg(m_spec.name, a.name, a.help);
                    continue;
                }
                for (const QString &value : m_values.args(a.name))
                {
                    if (a.type == ValueType::Choice && !a.choices.contains(value))
                        return u"unknown %1 '%2' (%3)"_s.arg(what, value, a.choices.join(u", "_s));
                    if (auto bad = checkValue(what, u"%1 '%2'"_s.arg(what, value), value, a.type, a.min, a.max, a.choices, false); bad)
                        return bad;
                }
            }
            return std::nullopt;
        }

        int execute()
        {
            Invocation invocation{m_ctx, m_values, m_spec, m_json};
            Output output;
            try
            {
                output = m_spec.body(invocation);
            }
            catch (const Exception &e)
            {
                output = Output::failure(e.error());
            }
            return print(output);
        }

        int print(const Output &o) const
        {
            if (o.error)
            {
                const int code = report(*o.error);
                return o.exitCode.value_or(code);
            }
            if (!o.printed)
            {
                if (m_json && !o.json.isUndefined() && !o.json.isNull())
                    printJson(o.json.isArray() ? QJsonDocument(o.json.toArray()) : QJsonDocument(o.json.toObject()));
                else if (!m_json)
                {
                    out() << o.text;
                    out().flush();
                }
            }
            if (!o.stderrAfter.isEmpty())
                err() << o.stderrAfter << Qt::flush;
            return o.exitCode.value_or(0);
        }

        const CommandSpec &m_spec;
        Context &m_ctx;
        Values m_values;
        bool m_json = false;
    };

    int runCommand(const CommandSpec &spec, Context &ctx, const QStringList &args)
    {
        const qsizetype words = spec.name.count(u' ') + 1;
        return Driver(spec, ctx).run(args.mid(words));
    }

    int runGroup(const CommandGroup &group, Context &ctx, const QStringList &args)
    {
        const QString sub = args.value(1);
        for (const CommandSpec &c : group.commands)
        {
            const QString word = c.name.section(u' ', 1);
            if (sub == word || c.aliases.contains(sub))
                return Driver(c, ctx).run(args.mid(2));
        }
        const bool help = sub == u"--help"_s || sub == u"-h"_s || (sub.isEmpty() && group.defaultCommand.isEmpty());
        if (!help && !group.defaultCommand.isEmpty() && (sub.isEmpty() || sub.startsWith(u'-')))
            for (const CommandSpec &c : group.commands)
                if (c.name.section(u' ', 1) == group.defaultCommand)
                    return Driver(c, ctx).run(args.mid(1));
        QTextStream &stream = help ? out() : err();
        if (!help)
        {
            setJsonOutput(args.contains(u"--json"_s));
            Error e = Error::make(ErrorCode::Usage, u"unknown subcommand '%1'"_s.arg(sub), u"dbops "_s + group.name);
            QStringList words;
            for (const CommandSpec &c : group.commands)
                words << c.name.section(u' ', 1);
            e.hint = u"dbops %1 takes one of: %2"_s.arg(group.name, words.join(u", "_s));
            report(e);
        }
        for (qsizetype i = 0; i < group.commands.size(); ++i)
            stream << (i == 0 ? "Usage: " : "       ") << synopsis(group.commands[i]) << "\n";
        stream << "Each subcommand takes --help." << Qt::endl;
        return help ? 0 : 2;
    }
}
