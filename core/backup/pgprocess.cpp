#include "core/backup/pgprocess.h"

#include "core/jobs/canceltoken.h"
#include "core/logging/log.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryFile>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString keywordString(const ConnectParams &params)
    {
        QStringList parts;
        for (const auto &[k, v] : params.keywords)
        {
            QString quoted = v;
            quoted.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
            parts << k + u"='"_s + quoted + u'\'';
        }
        return parts.join(u' ');
    }

    QStringList runPgProcess(const PgProcessSpec &spec, CancelToken *token)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        std::unique_ptr<QTemporaryFile> passfile;
        if (!spec.connection.password.isEmpty())
        {
            // QTemporaryFile creates the file with mode 0600, which libpq requires of a passfile.
            passfile = std::make_unique<QTemporaryFile>();
            if (!passfile->open())
                throw Exception(ErrorCode::Io, u"cannot create a temporary passfile: "_s + passfile->errorString());
            QString pw = spec.connection.password;
            pw.replace(u'\\', u"\\\\"_s).replace(u':', u"\\:"_s);
            passfile->write((u"*:*:*:*:"_s + pw + u'\n').toUtf8());
            passfile->flush();
            env.insert(u"PGPASSFILE"_s, passfile->fileName());
            env.remove(u"PGPASSWORD"_s);
        }
        process.setProcessEnvironment(env);
        QStringList args = spec.args;
        if (!spec.dbnameOption.isEmpty())
            args.prepend(spec.dbnameOption + u'=' + keywordString(spec.connection));
        if (!spec.onStdout)
            process.setStandardOutputFile(QProcess::nullDevice());

        QStringList lines;
        QByteArray carry;
        auto takeLines = [&](bool flushAll) {
            carry += process.readAllStandardError();
            qsizetype start = 0;
            for (qsizetype nl; (nl = carry.indexOf('\n', start)) >= 0; start = nl + 1)
            {
                const QString line = QString::fromUtf8(carry.constData() + start, nl - start).trimmed();
                if (line.isEmpty())
                    continue;
                lines << line;
                if (spec.onStderrLine)
                    spec.onStderrLine(line);
            }
            carry.remove(0, start);
            if (flushAll && !carry.trimmed().isEmpty())
            {
                lines << QString::fromUtf8(carry).trimmed();
                if (spec.onStderrLine)
                    spec.onStderrLine(lines.last());
                carry.clear();
            }
        };
        QByteArray chunk(1 << 17, Qt::Uninitialized);
        auto drainStdout = [&] {
            while (process.bytesAvailable() > 0)
            {
                const qint64 n = process.read(chunk.data(), chunk.size());
                if (n <= 0)
                    break;
                spec.onStdout(chunk.constData(), n);
            }
        };

        QEventLoop loop;
        bool timedOut = false;
        bool killed = false;
        // No exception may cross the event loop (STYLE E3): a failing callback stops the tool and
        // its exception is rethrown once the loop is left.
        std::exception_ptr failure;
        auto guarded = [&](const std::function<void()> &fn) {
            if (failure)
                return;
            try
            {
                fn();
            }
            catch (...)
            {
                failure = std::current_exception();
                killed = true;
                process.kill();
            }
        };
        QObject::connect(&process, &QProcess::readyReadStandardError, &loop, [&] { guarded([&] { takeLines(false); }); });
        if (spec.onStdout)
            QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] { guarded(drainStdout); });
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                loop.quit();
        });
        QTimer poll;
        poll.setInterval(100);
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (token && token->isCancelled() && !killed)
            {
                killed = true;
                process.kill();
            }
        });
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
            timedOut = killed = true;
            process.kill();
        });

        spdlog::info("running {} {}", spec.program, spec.args.join(u' '));
        process.start(spec.program, args);
        if (!process.waitForStarted(30000))
            throw Exception(ErrorCode::Io, u"cannot start %1: %2"_s.arg(spec.program, process.errorString()));
        poll.start();
        if (spec.timeoutMs > 0)
            timeout.start(spec.timeoutMs);
        if (process.state() != QProcess::NotRunning)
            loop.exec();
        poll.stop();
        timeout.stop();
        if (spec.onStdout)
            guarded(drainStdout);
        guarded([&] { takeLines(true); });
        if (failure)
            std::rethrow_exception(failure);

        if (token && token->isCancelled())
            throw Exception(ErrorCode::Cancelled, u"cancelled; %1 was stopped"_s.arg(QFileInfo(spec.program).fileName()));
        if (timedOut)
            throw Exception(ErrorCode::Io, u"%1 did not finish within %2 s and was stopped"_s.arg(spec.program).arg(spec.timeoutMs / 1000));
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        {
            QStringList tail;
            for (const QString &l : std::as_const(lines))
                if (!l.contains(u": dumping contents of table"_s) && !l.contains(u": processing"_s) && !l.contains(u": reading "_s))
                    tail << l;
            Error e = Error::make(ErrorCode::OperationFailed,
                                  u"%1 failed (exit %2)%3"_s.arg(QFileInfo(spec.program).fileName())
                                      .arg(process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1)
                                      .arg(tail.isEmpty() ? QString() : u": "_s + tail.mid(std::max<qsizetype>(0, tail.size() - 6)).join(u"\n"_s)));
            throw Exception(e);
        }
        return lines;
    }
}
