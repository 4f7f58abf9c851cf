#pragma once

#include "core/db/connectparams.h"
#include "core/error.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace dbops
{
    class CancelToken;

    struct SandboxOptions
    {
        /// Where the cluster lives. Empty: a temporary folder removed when the Sandbox is destroyed.
        QString dataDir;
        /// Trade durability for speed (fsync off): tests and benchmarks. The persistent demo
        /// sandbox keeps PostgreSQL's defaults.
        bool fast = true;
        /// 0: pick a free port.
        int port = 0;
        /// The major version to use; 0 = the highest installed.
        int major = 0;
        int maxConnections = 300;
    };

    /// A throwaway (or persistent, for the demo) local PostgreSQL cluster: initdb into a folder, a
    /// free port, a private socket folder, start, wait until ready, stop, remove (STYLE T4).
    /// When the process is root, initdb and the server run as the `postgres` system user, because
    /// PostgreSQL refuses to run as root. The server listens only on its private Unix socket; the
    /// superuser `postgres` is trusted there, every other role needs a password.
    /// Blocking: call from a job, a test or the CLI, never from the GUI thread.
    class Sandbox final
    {
    public:
        explicit Sandbox(SandboxOptions options = {});
        /// A temporary sandbox is stopped and removed; a persistent one is left as it is.
        ~Sandbox();
        Sandbox(const Sandbox &) = delete;
        Sandbox &operator=(const Sandbox &) = delete;

        /// Initialises the cluster if needed and starts it (or adopts it if already running).
        Expected<void> start(CancelToken *token = nullptr);
        Expected<void> stop();
        bool isRunning() const;
        bool isInitialised() const;

        QString dataDir() const { return m_dataDir; }
        QString socketDir() const { return m_socketDir; }
        QString binDir() const { return m_binDir; }
        QString logFile() const;
        int port() const { return m_port; }
        int majorVersion() const { return m_major; }

        /// Keyword parameters for libpq: host=<socket dir> port=<port> user=postgres dbname=<db>.
        ConnectParams connectParams(const QString &database = QStringLiteral("postgres")) const;
        /// postgresql://postgres@/<db>?host=<socket dir>&port=<port>
        QString url(const QString &database = QStringLiteral("postgres")) const;
        /// Creates a database (TEMPLATE template0 unless given) and returns its connect parameters.
        Expected<ConnectParams> createDatabase(const QString &name, const QString &templateDb = {});

        /// True when this process runs as root (the server then runs as `postgres`).
        static bool runningAsRoot();
        /// The default persistent location for a given app data folder. When root, a folder the
        /// `postgres` user can reach (/var/tmp/dbops-sandbox-<hash>), since ~root is private.
        static QString defaultPersistentDir(const QString &appDataDir);

    private:
        Expected<void> resolveBinaries();
        Expected<void> initCluster();
        Expected<void> writeConfig();
        void readConfig();
        Expected<QString> runTool(const QString &program, const QStringList &args, int timeoutMs) const;
        QString chooseSocketDir() const;

        SandboxOptions m_options;
        std::unique_ptr<QTemporaryDir> m_temp;
        QString m_dataDir;
        QString m_socketDir;
        QString m_binDir;
        int m_port = 0;
        int m_major = 0;
        bool m_startedByUs = false;
    };
}
