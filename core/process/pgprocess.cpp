#include "core/process/pgprocess.h"

#include "core/jobs/canceltoken.h"
#include "core/logging/log.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTimer>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

    QProcessEnvironment childEnvironment(const QProcessEnvironment &from, const ConnectParams &connection)
    {
        // What libpq reads from the environment, by the keyword it fills in.
        static const QList<std::pair<QString, QString>> pgVars = {
            {u"PGHOST"_s, u"host"_s},
            {u"PGHOSTADDR"_s, u"hostaddr"_s},
            {u"PGPORT"_s, u"port"_s},
            {u"PGDATABASE"_s, u"dbname"_s},
            {u"PGUSER"_s, u"user"_s},
            {u"PGOPTIONS"_s, u"options"_s},
            {u"PGAPPNAME"_s, u"application_name"_s},
            {u"PGSSLMODE"_s, u"sslmode"_s},
            {u"PGSSLCERT"_s, u"sslcert"_s},
            {u"PGSSLKEY"_s, u"sslkey"_s},
            {u"PGSSLROOTCERT"_s, u"sslrootcert"_s},
            {u"PGSSLCRL"_s, u"sslcrl"_s},
            {u"PGCONNECT_TIMEOUT"_s, u"connect_timeout"_s},
            {u"PGSERVICE"_s, u"service"_s},
            {u"PGTARGETSESSIONATTRS"_s, u"target_session_attrs"_s},
            {u"PGCHANNELBINDING"_s, u"channel_binding"_s},
            {u"PGGSSENCMODE"_s, u"gssencmode"_s},
            {u"PGREQUIRESSL"_s, u"requiressl"_s},
        };
        static const QRegularExpression urlWithPassword(u"[A-Za-z][A-Za-z0-9+.-]*://[^/@\\s]*:[^/@\\s]*@"_s);
        QProcessEnvironment env;
        for (const QString &name : from.keys())
        {
            const QString upper = name.toUpper();
            if (upper == u"PGPASSWORD"_s || upper == u"DATABASE_URL"_s || upper.contains(u"PASSWORD"_s) || upper.contains(u"SECRET"_s)
                || upper.contains(u"TOKEN"_s) || upper.contains(u"CREDENTIAL"_s) || urlWithPassword.match(from.value(name)).hasMatch())
                continue;
            if (upper == u"PGPASSFILE"_s && !connection.password.isEmpty())
                continue; // ours replaces it
            const auto pg = std::find_if(pgVars.cbegin(), pgVars.cend(), [&](const auto &v) { return v.first == name; });
            if (pg != pgVars.cend() && connection.has(pg->second))
                continue; // we pass this one on --dbname; the environment must not add to it
            env.insert(name, from.value(name));
        }
        return env;
    }

    namespace
    {
        /// The password in an anonymous memory file (memfd, mode 0600) that only the child
        /// inherits, named /dev/fd/N as PGPASSFILE in `env`: nothing is on disk, so nothing stays
        /// behind when dbops is killed, and every connection pg_dump --jobs opens can read it
        /// again. Returns the descriptor (-1 without a password); the caller closes it.
        int passwordOnlyInAMemoryFile(const ConnectParams &connection, QProcessEnvironment &env)
        {
            if (connection.password.isEmpty())
                return -1;
            const int passFd = ::memfd_create("dbops-pgpass", MFD_CLOEXEC);
            if (passFd < 0)
                throw Exception(ErrorCode::Io, u"cannot create the in-memory passfile: "_s + QString::fromLocal8Bit(std::strerror(errno)));
            QString pw = connection.password;
            pw.replace(u'\\', u"\\\\"_s).replace(u':', u"\\:"_s);
            const QByteArray line = (u"*:*:*:*:"_s + pw + u'\n').toUtf8();
            if (::fchmod(passFd, 0600) != 0 || ::write(passFd, line.constData(), size_t(line.size())) != line.size())
            {
                ::close(passFd);
                throw Exception(ErrorCode::Io, u"cannot write the in-memory passfile: "_s + QString::fromLocal8Bit(std::strerror(errno)));
            }
            env.insert(u"PGPASSFILE"_s, u"/dev/fd/%1"_s.arg(passFd));
            return passFd;
        }

        /// In the child, between fork and exec (async-signal-safe calls only): die with dbops (a
        /// kill -9 of dbops takes pg_dump with it), a process group of its own (a terminal's Ctrl+C
        /// reaches dbops, which cancels and cleans up, not pg_dump mid-write), files 0600 and
        /// folders 0700 (directory-format archives), and the passfile inherited.
        void childDiesWithUsInAGroupOfItsOwn(QProcess &process, int passFd)
        {
            const pid_t parent = ::getpid();
            process.setChildProcessModifier([parent, passFd] {
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (::getppid() != parent)
                    ::_exit(127); // dbops died before the line above took effect
                ::setpgid(0, 0);
                ::umask(077);
                if (passFd >= 0)
                    ::fcntl(passFd, F_SETFD, 0);
            });
        }

        /// The connection goes on --dbname as a keyword string, and the child never prompts.
        QStringList argumentsWithTheConnection(const PgProcessSpec &spec)
        {
            QStringList args = spec.args;
            if (!spec.dbnameOption.isEmpty())
            {
                args.prepend(spec.dbnameOption + u'=' + keywordString(spec.connection));
                args.prepend(u"--no-password"_s); // a child never prompts: the password is ours to ask for
            }
            return args;
        }

        /// Cancelled, timed out or a non-zero exit: an error naming the tool and its last words.
        void throwUnlessItExitedCleanly(const PgProcessSpec &spec, const QProcess &process, const QStringList &lines, CancelToken *token,
                                        bool timedOut)
        {
            if (token && token->isCancelled())
                throw Exception(ErrorCode::Cancelled, u"cancelled; %1 was stopped"_s.arg(QFileInfo(spec.program).fileName()));
            if (timedOut)
                throw Exception(ErrorCode::Io,
                                u"%1 did not finish within %2 s and was stopped"_s.arg(spec.program).arg(spec.timeoutMs / 1000));
            if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
                return;
            QStringList tail;
            for (const QString &l : std::as_const(lines))
                if (!l.contains(u": dumping contents of table"_s) && !l.contains(u": processing"_s) && !l.contains(u": reading "_s))
                    tail << l;
            Error e = Error::make(
                ErrorCode::OperationFailed,
                u"%1 failed (exit %2)%3"_s.arg(QFileInfo(spec.program).fileName())
                    .arg(process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1)
                    .arg(tail.isEmpty() ? QString() : u": "_s + tail.mid(std::max<qsizetype>(0, tail.size() - 6)).join(u"\n"_s)));
            throw Exception(e);
        }
    }

    QStringList runPgProcess(const PgProcessSpec &spec, CancelToken *token)
    {
        QProcess process;
        // The child's environment is scrubbed: no password, no URL carrying one, no secret of
        // ours; libpq gets its connection from --dbname and its password from our passfile.
        QProcessEnvironment env = childEnvironment(QProcessEnvironment::systemEnvironment(), spec.connection);
        const int passFd = passwordOnlyInAMemoryFile(spec.connection, env);
        auto closePass = qScopeGuard([passFd] {
            if (passFd >= 0)
                ::close(passFd);
        });
        process.setProcessEnvironment(env);
        childDiesWithUsInAGroupOfItsOwn(process, passFd);
        const QStringList args = argumentsWithTheConnection(spec);
        if (!spec.onStdout)
            process.setStandardOutputFile(QProcess::nullDevice());

        // The tool leads its own process group: stopping it stops pg_dump --jobs' workers too.
        auto stop = [&process] {
            const qint64 pid = process.processId();
            if (pid > 0)
                ::kill(-pid_t(pid), SIGKILL);
            process.kill();
        };
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
                stop();
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
                stop();
            }
        });
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
            timedOut = killed = true;
            stop();
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

        throwUnlessItExitedCleanly(spec, process, lines, token, timedOut);
        return lines;
    }
}
