#include "core/sandbox/sandbox.h"

#include "core/process/pgprocess.h"
#include "core/db/pgconnection.h"
#include "core/jobs/canceltoken.h"
#include "core/logging/log.h"
#include "core/sandbox/pgbinaries.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QHash>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <QUrl>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        constexpr auto kServerUser = "postgres";

        /// Per data folder, the port this process last logged it running on: every connect to the
        /// managed sandbox (the lock probe reconnecting every 2 s) asks it to start, and the log says
        /// what changed, not every ask.
        QMutex s_reportedMutex;
        QHash<QString, int> &reportedRunning()
        {
            static QHash<QString, int> h;
            return h;
        }
        /// True when `dataDir` was not last reported running on `port` (and records that it now is).
        bool noteRunning(const QString &dataDir, int port)
        {
            QMutexLocker lock(&s_reportedMutex);
            auto &all = reportedRunning();
            const auto it = all.constFind(dataDir);
            if (it != all.constEnd() && *it == port)
                return false;
            all.insert(dataDir, port);
            return true;
        }
        void noteStopped(const QString &dataDir)
        {
            QMutexLocker lock(&s_reportedMutex);
            reportedRunning().remove(dataDir);
        }

        int freeTcpPort()
        {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            if (fd < 0)
                return 0;
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            addr.sin_port = 0;
            int port = 0;
            socklen_t len = sizeof addr;
            if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
                && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
                port = ntohs(addr.sin_port);
            ::close(fd);
            return port;
        }

        bool chownToServerUser(const QString &path)
        {
            const passwd *pw = ::getpwnam(kServerUser);
            if (!pw)
                return false;
            return ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
        }
    }

    Sandbox::Sandbox(SandboxOptions options)
        : m_options(std::move(options))
    {
        if (m_options.dataDir.isEmpty())
        {
            // Short path: the Unix socket path must stay under 107 bytes.
            m_temp = std::make_unique<QTemporaryDir>(u"/tmp/dbops-sandbox-XXXXXX"_s);
            m_dataDir = m_temp->path() + u"/data"_s;
        }
        else
            m_dataDir = QDir(m_options.dataDir).absolutePath();
        m_port = m_options.port;
        readConfig();
    }

    Sandbox::~Sandbox()
    {
        if (m_temp)
        {
            if (isRunning())
                (void)stop();
            m_temp->remove();
        }
    }

    bool Sandbox::runningAsRoot()
    {
        return ::geteuid() == 0;
    }

    QString Sandbox::defaultPersistentDir(const QString &appDataDir)
    {
        if (!runningAsRoot())
            return appDataDir + u"/sandbox"_s;
        const QByteArray hash = QCryptographicHash::hash(appDataDir.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
        return u"/var/tmp/dbops-sandbox-"_s + QString::fromLatin1(hash);
    }

    QString Sandbox::logFile() const
    {
        return m_dataDir + u"/server.log"_s;
    }

    bool Sandbox::isInitialised() const
    {
        return QFileInfo::exists(m_dataDir + u"/PG_VERSION"_s);
    }

    QString Sandbox::chooseSocketDir() const
    {
        const QString inData = m_dataDir + u"/sockets"_s;
        if (inData.toUtf8().size() + 20 < 100)
            return inData;
        const QByteArray hash = QCryptographicHash::hash(m_dataDir.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
        return u"/tmp/dbops-sock-"_s + QString::fromLatin1(hash);
    }

    void Sandbox::readConfig()
    {
        QFile dbopsConf(m_dataDir + u"/dbops.conf"_s);
        if (!dbopsConf.open(QIODevice::ReadOnly))
            return;
        static const QRegularExpression portRe(u"^port\\s*=\\s*(\\d+)"_s, QRegularExpression::MultilineOption);
        static const QRegularExpression sockRe(u"^unix_socket_directories\\s*=\\s*'([^']*)'"_s, QRegularExpression::MultilineOption);
        const QString text = QString::fromUtf8(dbopsConf.readAll());
        if (const auto m = portRe.match(text); m.hasMatch())
            m_port = m.captured(1).toInt();
        if (const auto m = sockRe.match(text); m.hasMatch())
            m_socketDir = m.captured(1);
        QFile version(m_dataDir + u"/PG_VERSION"_s);
        if (version.open(QIODevice::ReadOnly))
            m_major = version.readAll().trimmed().toInt();
    }

    Expected<void> Sandbox::resolveBinaries()
    {
        if (!m_binDir.isEmpty())
            return {};
        const QList<PgInstallation> installs = findPgInstallations(u"initdb"_s);
        const int wanted = m_major ? m_major : m_options.major;
        for (const PgInstallation &i : installs)
            if (wanted == 0 || i.major == wanted)
            {
                m_binDir = i.binDir;
                m_major = i.major;
                return {};
            }
        QStringList versions;
        for (const auto &i : installs)
            versions << QString::number(i.major);
        return fail(
            ErrorCode::Io,
            wanted
                ? u"PostgreSQL %1 server programs (initdb, postgres) are not installed; found: %2. Install the Debian package postgresql-%1."_s
                      .arg(wanted)
                      .arg(versions.isEmpty() ? u"none"_s : versions.join(u", "_s))
                : u"no PostgreSQL server programs (initdb) found; install the Debian package postgresql-15, or set DBOPS_PG_BINDIR"_s);
    }

    Expected<QString> Sandbox::runTool(const QString &program, const QStringList &args, int timeoutMs) const
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment env = childEnvironment(QProcessEnvironment::systemEnvironment(), {}); // no secret of ours in the server
        env.insert(u"LC_ALL"_s, u"C"_s);
        env.remove(u"PGDATA"_s);
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(u"/"_s);
        const QString exe = m_binDir + u'/' + program;
        if (runningAsRoot())
            p.start(u"runuser"_s, QStringList{u"-u"_s, QString::fromLatin1(kServerUser), u"--"_s, exe} + args);
        else
            p.start(exe, args);
        if (!p.waitForStarted(10000))
            return fail(ErrorCode::Io, u"cannot start "_s + exe + u": "_s + p.errorString());
        if (!p.waitForFinished(timeoutMs))
        {
            p.kill();
            p.waitForFinished(2000);
            return fail(ErrorCode::Io, program + u" did not finish within %1 s"_s.arg(timeoutMs / 1000));
        }
        const QString output = QString::fromLocal8Bit(p.readAll());
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return std::unexpected(Error::make(ErrorCode::Io, program + u" failed (exit %1): "_s.arg(p.exitCode()) + output.trimmed()));
        return output;
    }

    Expected<void> Sandbox::initCluster()
    {
        if (!QDir().mkpath(m_dataDir))
            return fail(ErrorCode::Io, u"cannot create the sandbox folder "_s + m_dataDir);
        QFile::setPermissions(m_dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        if (runningAsRoot())
        {
            if (m_temp)
                chownToServerUser(m_temp->path());
            if (!chownToServerUser(m_dataDir))
                return fail(ErrorCode::Io, u"cannot hand the sandbox folder to the postgres user: "_s + m_dataDir);
        }
        spdlog::info("initialising a PostgreSQL {} sandbox in {}", m_major, m_dataDir);
        auto out = runTool(u"initdb"_s,
                           {u"-D"_s, m_dataDir, u"-U"_s, u"postgres"_s, u"--encoding=UTF8"_s, u"--no-locale"_s, u"--auth-local=trust"_s,
                            u"--auth-host=scram-sha-256"_s, u"--no-sync"_s},
                           120000);
        if (!out)
            return std::unexpected(out.error());
        // Only the superuser is trusted on the private socket; other roles need their password.
        QFile hba(m_dataDir + u"/pg_hba.conf"_s);
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(ErrorCode::Io, u"cannot write "_s + hba.fileName());
        hba.write("# dbops sandbox\n"
                  "local all postgres trust\n"
                  "local all all scram-sha-256\n"
                  "host all all 127.0.0.1/32 scram-sha-256\n"
                  "host all all ::1/128 scram-sha-256\n");
        hba.close();
        if (runningAsRoot())
            chownToServerUser(hba.fileName());
        return {};
    }

    Expected<void> Sandbox::writeConfig()
    {
        if (m_port == 0)
            m_port = freeTcpPort();
        if (m_port == 0)
            return fail(ErrorCode::Io, u"cannot find a free port for the sandbox"_s);
        m_socketDir = chooseSocketDir();
        QDir().mkpath(m_socketDir);
        QFile::setPermissions(m_socketDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        if (runningAsRoot())
            chownToServerUser(m_socketDir);

        QString conf = u"# written by dbops\n"_s
                       u"port = %1\n"_s
                       u"unix_socket_directories = '%2'\n"_s
                       u"listen_addresses = ''\n"_s
                       u"max_connections = %3\n"_s
                       u"max_locks_per_transaction = 256\n"_s
                       u"shared_buffers = 128MB\n"_s
                       // QString::arg() has no %% escape: a single % is what reaches postgresql.conf.
                       u"log_line_prefix = '%m [%p] %q%u@%d '\n"_s
                       u"timezone = 'UTC'\n"_s.arg(m_port)
                           .arg(m_socketDir)
                           .arg(m_options.maxConnections);
        if (m_options.fast)
            conf += u"fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"_s;
        QFile f(m_dataDir + u"/dbops.conf"_s);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(ErrorCode::Io, u"cannot write "_s + f.fileName());
        f.write(conf.toUtf8());
        f.close();
        // include it from postgresql.conf once
        QFile main(m_dataDir + u"/postgresql.conf"_s);
        if (main.open(QIODevice::ReadWrite))
        {
            const QByteArray text = main.readAll();
            if (!text.contains("include_if_exists = 'dbops.conf'"))
            {
                main.seek(main.size());
                main.write("\ninclude_if_exists = 'dbops.conf'\n");
            }
        }
        if (runningAsRoot())
            chownToServerUser(f.fileName());
        return {};
    }

    Expected<void> Sandbox::start(CancelToken *token)
    {
        if (auto r = resolveBinaries(); !r)
            return r;
        // One start of a cluster at a time, across threads and processes: two jobs that both find
        // it stopped would otherwise both run pg_ctl start, and the second fails on postmaster.pid.
        QDir().mkpath(QFileInfo(m_dataDir).absolutePath());
        QLockFile starting(m_dataDir + u".starting"_s);
        starting.setStaleLockTime(0);
        while (!starting.tryLock(250))
        {
            if (token && token->isCancelled())
                return fail(ErrorCode::Cancelled, u"cancelled"_s);
            if (starting.error() == QLockFile::PermissionError)
                return fail(ErrorCode::Io, u"cannot create the start lock %1.starting (permission denied)"_s.arg(m_dataDir));
        }
        if (!isInitialised())
        {
            if (auto r = initCluster(); !r)
                return r;
        }
        else
            readConfig();
        if (token && token->isCancelled())
            return fail(ErrorCode::Cancelled, u"cancelled"_s);
        if (isRunning())
        {
            if (noteRunning(m_dataDir, m_port))
                spdlog::info("sandbox already running on port {}", m_port);
            return {};
        }
        // A fresh port each start for temporary clusters; persistent ones keep theirs unless it is taken.
        if (m_temp || m_port == 0 || QFileInfo::exists(m_socketDir + u"/.s.PGSQL.%1"_s.arg(m_port)))
            m_port = m_options.port;
        if (auto r = writeConfig(); !r)
            return r;
        auto out = runTool(u"pg_ctl"_s, {u"-D"_s, m_dataDir, u"-l"_s, logFile(), u"-w"_s, u"-t"_s, u"60"_s, u"start"_s}, 90000);
        if (!out)
        {
            QFile log(logFile());
            QString tail;
            if (log.open(QIODevice::ReadOnly))
                tail = QString::fromUtf8(log.readAll()).right(1500);
            Error e = out.error();
            e.message = u"the sandbox PostgreSQL did not start: "_s + e.message;
            e.detail = tail;
            return std::unexpected(e);
        }
        m_startedByUs = true;
        noteRunning(m_dataDir, m_port);
        spdlog::info("sandbox PostgreSQL {} running on port {} (socket {})", m_major, m_port, m_socketDir);
        return {};
    }

    Expected<void> Sandbox::stop()
    {
        if (auto r = resolveBinaries(); !r)
            return r;
        noteStopped(m_dataDir);
        if (!isRunning())
            return {};
        auto out = runTool(u"pg_ctl"_s, {u"-D"_s, m_dataDir, u"-m"_s, u"fast"_s, u"-w"_s, u"-t"_s, u"60"_s, u"stop"_s}, 90000);
        if (!out)
            return std::unexpected(out.error());
        spdlog::info("sandbox PostgreSQL stopped ({})", m_dataDir);
        return {};
    }

    bool Sandbox::isRunning() const
    {
        // The postmaster writes its pid on the first line of postmaster.pid; a stale file from a
        // crash names a pid that no longer exists.
        QFile pidFile(m_dataDir + u"/postmaster.pid"_s);
        if (!pidFile.open(QIODevice::ReadOnly))
            return false;
        const pid_t pid = pid_t(pidFile.readLine().trimmed().toLongLong());
        if (pid <= 0)
            return false;
        return ::kill(pid, 0) == 0 || errno == EPERM;
    }

    ConnectParams Sandbox::connectParams(const QString &database) const
    {
        ConnectParams p;
        p.set(u"host"_s, m_socketDir);
        p.set(u"port"_s, QString::number(m_port));
        p.set(u"user"_s, u"postgres"_s);
        p.set(u"dbname"_s, database);
        return p;
    }

    QString Sandbox::url(const QString &database) const
    {
        return u"postgresql://postgres@/"_s + QString::fromUtf8(QUrl::toPercentEncoding(database)) + u"?host="_s
               + QString::fromUtf8(QUrl::toPercentEncoding(m_socketDir)) + u"&port="_s + QString::number(m_port);
    }

    Expected<ConnectParams> Sandbox::createDatabase(const QString &name, const QString &templateDb)
    {
        return catchErrors([&] {
            auto conn = PgConnection::open(connectParams());
            conn->exec(u"CREATE DATABASE "_s + conn->escapeIdentifier(name) + u" TEMPLATE "_s
                       + conn->escapeIdentifier(templateDb.isEmpty() ? u"template0"_s : templateDb));
            return connectParams(name);
        });
    }
}
