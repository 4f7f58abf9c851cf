#include "app/cli/common.h"

#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/operation.h"

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

    void setJsonOutput(bool json)
    {
        g_jsonOutput = json;
    }

    void printJson(const QJsonDocument &doc)
    {
        out() << doc.toJson(QJsonDocument::Indented);
        out().flush();
        g_jsonPrinted = true;
    }

    bool passwordWanted(const Error &error)
    {
        return ops::needsPassword(error);
    }

    void showProgress(Job *job)
    {
        const QString title = job->title();
        QObject::connect(job, &Job::progressChanged, job, [title](qint64 done, qint64 total, const QString &message) {
            if (message.isEmpty())
                return;
            if (total > 0)
                err() << title << ": [" << done << "/" << total << "] " << message << Qt::endl;
            else
                err() << title << ": " << message << Qt::endl;
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

    ops::Confirmation typedConfirmation(const ConnectionProfile &profile, const QString &what, const std::optional<QString> &given)
    {
        if (!ops::needsTypedConfirmation(profile))
            return {};
        if (given)
            return {*given};
        const QString word = ops::confirmationWord(profile);
        err() << "PRODUCTION: " << what << " on '" << profile.name << "' (" << profile.targetDescription() << ")." << Qt::endl;
        return {confirmTyped(u"This is production."_s, word) ? word : QString()};
    }

    bool confirmTyped(const QString &question, const QString &expected)
    {
        return readTtyLine(question + u" Type '%1' to confirm: "_s.arg(expected)) == expected;
    }
}
