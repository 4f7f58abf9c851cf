#include "app/cli/common.h"

#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/store/profilestore.h"

#include <QFile>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    QTextStream &out()
    {
        static QTextStream s(stdout);
        return s;
    }

    QTextStream &err()
    {
        static QTextStream s(stderr);
        return s;
    }

    namespace
    {
        /// --json was asked for: an error is one JSON document on stdout too.
        bool g_jsonOutput = false;
        /// A document was printed already: an error after it goes to stderr only (one document).
        bool g_jsonPrinted = false;
    }

    int report(const Error &error)
    {
        out().flush();
        err() << "dbops: " << error.toString() << Qt::endl;
        if (g_jsonOutput && !g_jsonPrinted)
            printJson(QJsonDocument(QJsonObject{{u"error"_s, error.toJson()}}));
        return error.exitCode();
    }

    bool parse(QCommandLineParser &parser, const Context &ctx, const QString &description, int *exitCode, int maxPositional)
    {
        parser.setApplicationDescription(description);
        const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
        parser.addOption(help);
        const QString command = ctx.args.value(0);
        if (!parser.parse(ctx.args))
        {
            g_jsonOutput = ctx.args.contains(u"--json"_s);
            *exitCode = report(Error::make(ErrorCode::Usage, parser.errorText() + u"; try 'dbops %1 --help'"_s.arg(command),
                                           u"dbops "_s + command));
            return false;
        }
        g_jsonOutput = parser.optionNames().contains(u"json"_s);
        // A stray word is never ignored: "migrate 0001" must not mean "migrate everything".
        const QStringList positional = parser.positionalArguments();
        if (positional.size() > maxPositional && !parser.isSet(help))
        {
            const QString stray = positional.value(maxPositional);
            Error e = Error::make(ErrorCode::Usage,
                                  maxPositional == 0 ? u"unexpected argument '%1': this command takes no arguments, only options"_s.arg(stray)
                                                     : u"unexpected argument '%1': this command takes at most %2"_s.arg(stray).arg(maxPositional),
                                  u"dbops "_s + command);
            e.hint = u"see 'dbops %1 --help'; a value belongs to an option, e.g. --target %2"_s.arg(command, stray);
            *exitCode = report(e);
            return false;
        }
        if (parser.isSet(help))
        {
            // QCommandLineParser names the program by its path; show the command as typed instead.
            QString text = parser.helpText();
            const qsizetype newline = text.indexOf(u'\n');
            const qsizetype afterProgram = text.indexOf(u' ', 7);
            text = u"Usage: dbops "_s + ctx.args.value(0) + (afterProgram > 0 && afterProgram < newline ? text.mid(afterProgram, newline - afterProgram) : QString())
                   + text.mid(newline);
            out() << text;
            out().flush();
            *exitCode = 0;
            return false;
        }
        return true;
    }

    void printJson(const QJsonDocument &doc)
    {
        out() << doc.toJson(QJsonDocument::Indented);
        out().flush();
        g_jsonPrinted = true;
    }

    void addTargetOptions(QCommandLineParser &parser)
    {
        parser.addOption({u"db"_s, u"Target: a libpq URI or keyword string, or sqlite:PATH."_s, u"url"_s});
        parser.addOption({u"profile"_s, u"Target: a saved connection profile."_s, u"name"_s});
    }

    Expected<ConnectionProfile> resolveTarget(const QCommandLineParser &parser, Context &ctx)
    {
        if (parser.isSet(u"db"_s) && parser.isSet(u"profile"_s))
            return fail(ErrorCode::Usage, u"give either --db or --profile, not both"_s);
        if (parser.isSet(u"profile"_s))
            return ctx.profiles->get(parser.value(u"profile"_s));
        QString url = parser.value(u"db"_s);
        if (url.isEmpty())
            url = qEnvironmentVariable("DATABASE_URL");
        if (url.isEmpty())
            return fail(ErrorCode::Usage, u"no target: give --db URL, --profile NAME, or set DATABASE_URL"_s);
        QString password;
        auto profile = ConnectionProfile::fromUrl(u"command line"_s, url, &password);
        if (!profile)
            return profile;
        ctx.urlPassword = password;
        if (!password.isEmpty() && parser.isSet(u"db"_s))
            err() << "warning: --db carries a password: other local users could read it in the process list (ps) until dbops "
                     "hid it, and it stays in your shell history. Give it in DATABASE_URL, a profile (dbops profiles add) or "
                     "~/.pgpass instead."
                  << Qt::endl;
        return profile;
    }

    Expected<QVariant> runJob(Context &ctx, const QString &title, std::function<QVariant(JobContext &)> body)
    {
        auto *job = new Job(title, std::move(body));
        QObject::connect(job, &Job::progressChanged, job, [title](qint64 done, qint64 total, const QString &message) {
            if (message.isEmpty())
                return;
            if (total > 0)
                err() << title << ": [" << done << "/" << total << "] " << message << Qt::endl;
            else
                err() << title << ": " << message << Qt::endl;
        });
        return ctx.jobs->run(job);
    }

    Expected<QVariant> runWithPassword(Context &ctx, const ConnectionProfile &profile, const QString &title,
                                       std::function<QVariant(const QString &password, JobContext &)> body)
    {
        QString password = ctx.urlPassword;
        for (int attempt = 0;; ++attempt)
        {
            auto result = runJob(ctx, title, [&, password](JobContext &jc) { return body(password, jc); });
            if (result)
                return result;
            const Error &e = result.error();
            const bool needsPassword = e.code == ErrorCode::Auth && e.message.contains(u"no password supplied"_s);
            if (attempt == 0 && needsPassword && password.isEmpty())
            {
                password = promptPassword(u"Password for %1: "_s.arg(profile.targetDescription()));
                if (!password.isEmpty())
                    continue;
            }
            return result;
        }
    }

    Expected<QVariant> withConnection(Context &ctx, const ConnectionProfile &profile, const QString &title,
                                      std::function<QVariant(PgConnection &, JobContext &)> work)
    {
        return runWithPassword(ctx, profile, title, [&](const QString &password, JobContext &jc) {
            jc.progress(0, 0, u"connecting to "_s + profile.targetDescription());
            Connector connector(ctx.profiles);
            auto conn = connector.open(profile, password, jc.token());
            return work(*conn, jc);
        });
    }

    QString promptPassword(const QString &prompt)
    {
        FILE *tty = std::fopen("/dev/tty", "r+");
        if (!tty)
            return {};
        std::fputs(prompt.toLocal8Bit().constData(), tty);
        std::fflush(tty);
        termios old{};
        const int fd = ::fileno(tty);
        const bool haveTerm = ::tcgetattr(fd, &old) == 0;
        if (haveTerm)
        {
            termios noecho = old;
            noecho.c_lflag &= ~tcflag_t(ECHO);
            ::tcsetattr(fd, TCSAFLUSH, &noecho);
        }
        char buf[1024] = {};
        const bool got = std::fgets(buf, sizeof buf, tty) != nullptr;
        if (haveTerm)
            ::tcsetattr(fd, TCSAFLUSH, &old);
        std::fputs("\n", tty);
        std::fclose(tty);
        QString pw = got ? QString::fromLocal8Bit(buf) : QString();
        std::fill(std::begin(buf), std::end(buf), '\0');
        while (pw.endsWith(u'\n') || pw.endsWith(u'\r'))
            pw.chop(1);
        return pw;
    }

    namespace
    {
        QString readTtyLine(const QString &prompt)
        {
            FILE *tty = std::fopen("/dev/tty", "r+");
            if (!tty)
                return {};
            std::fputs(prompt.toLocal8Bit().constData(), tty);
            std::fflush(tty);
            char buf[1024] = {};
            const bool got = std::fgets(buf, sizeof buf, tty) != nullptr;
            std::fclose(tty);
            return got ? QString::fromLocal8Bit(buf).trimmed() : QString();
        }
    }

    bool confirm(const QString &question)
    {
        const QString answer = readTtyLine(question + u" [y/N] "_s).toLower();
        return answer == u"y"_s || answer == u"yes"_s;
    }

    bool confirmTyped(const QString &question, const QString &expected)
    {
        return readTtyLine(question + u" Type '%1' to confirm: "_s.arg(expected)) == expected;
    }
}
