#pragma once

#include "core/backup/backupcatalog.h"
#include "core/db/connectparams.h"
#include "core/db/profile.h"

#include <QString>

namespace dbops
{
    class JobContext;
    class Store;

    struct BackupRequest
    {
        ConnectionProfile profile;                 ///< its name keys the catalog and retention
        ConnectParams connection;                  ///< resolved (Connector::resolve), password included
        QString format = QStringLiteral("custom"); ///< custom | directory
        int jobs = 1;                              ///< directory format only
        QString label;
        QString kind = QStringLiteral("manual");
        QString outputDir; ///< empty: <app data>/backups/<profile>
        QString toolsDir;  ///< pinned tools folder (configuredToolDir), empty: search
        bool verify = true;
        bool applyRetention = true;
    };

    /// Backups: pg_dump (matching the server) as an async process, progress from the catalog's
    /// table sizes as --verbose names each table, temp name -> fsync -> SHA-256 -> rename,
    /// verification, the catalog entry, retention. Every method is blocking and meant for a job
    /// body (worker thread); cancellation through the JobContext kills the tool within 100 ms.
    /// A failed or cancelled backup leaves no file and no catalog entry.
    class BackupService final
    {
    public:
        explicit BackupService(Store &store);

        /// Throws dbops::Exception (NotFound when no matching pg_dump exists, Cancelled, ...).
        BackupEntry backup(const BackupRequest &request, JobContext &jc);
        /// Re-checks a catalog entry (SHA-256, then a complete read) and records the result.
        BackupEntry verify(qint64 id, JobContext &jc, const QString &toolsDir = {});
        /// Restores the entry into a throwaway sandbox and compares row counts with the source's
        /// (as the archive holds them). Records "ok" or the differences.
        BackupEntry testRestore(qint64 id, JobContext &jc, const QString &toolsDir = {});

        /// <app data>/backups/<profile>
        static QString defaultDirectory(const QString &profile);

    private:
        Store &m_store;
    };

    /// "1.2 GB", "340 kB".
    QString formatBytes(qint64 bytes);
    /// "1:05", "12 s".
    QString formatDuration(qint64 ms);
}
