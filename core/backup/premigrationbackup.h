#pragma once

#include "core/backup/backupcatalog.h"
#include "core/db/connectparams.h"
#include "core/db/profile.h"

#include <functional>
#include <memory>
#include <optional>

namespace dbops
{
    class JobContext;
    class Store;

    /// The catalog key of a target: the profile's name, or "user@host:port/db" for a target given
    /// by --db/DATABASE_URL (profile "command line").
    QString catalogName(const ConnectionProfile &profile);

    /// What the pre-change backup rule says for a profile (one rule for every environment and
    /// every mutating operation: migrate, down, repair, baseline, adopt, mark-applied).
    struct PreChangeRule
    {
        bool required = false;
        QString reason;        ///< why (not): "production profile", "the profile's policy says on", ...
        int freshMinutes = 15; ///< a verified backup this recent, taken after the last change, is reused
    };
    /// Production profiles need it unless their policy says off (`backups policy --pre-migration
    /// off`); any other environment needs it when its policy says on. SQLite files never (no
    /// pg_dump). Reads the store.
    PreChangeRule preChangeRule(Store &store, const ConnectionProfile &profile);
    bool needsPreMigrationBackup(Store &store, const ConnectionProfile &profile);

    /// What the hook did, for the command's output (filled on the job's thread; read it after
    /// the job has finished).
    struct PreChangeOutcome
    {
        qint64 backupId = 0; ///< 0: none was needed
        bool reused = false; ///< an existing verified backup stood in for a new one
        QString path;
        QDateTime startedAt;
        QString why; ///< the rule's reason, and for a reuse why it qualified
        QJsonObject toJson() const;
    };

    struct PreChangeHookOptions
    {
        QString historyFormat; ///< as the migrator was given (--history-format), to read the last change
        QString historyTable;
        QString toolsDir;                          ///< pinned pg_dump folder (configuredToolDir)
        std::shared_ptr<PreChangeOutcome> outcome; ///< optional: receives what was done
    };

    /// The verified backup of the same database that may stand in for a new one: verified, its
    /// archive still there, started within `freshMinutes`, and started after the last change we
    /// can know of: the newest history row (its age measured on the server's clock against the
    /// backup's age on ours, so clock skew cannot make an old backup look new) and the newest
    /// audit-log entry of the target that is not itself a backup. nullopt with `why` saying which
    /// condition failed. Blocking (connects), for a job body.
    std::optional<BackupEntry> reusableBackup(Store &store, const ConnectionProfile &profile, const ConnectParams &connection,
                                              int freshMinutes, const PreChangeHookOptions &options, JobContext &jc, QString *why);

    /// The MigrateOptions::beforeChange hook for a target: when preChangeRule() requires it, reuses
    /// a reusableBackup() or takes a verified backup (kind "pre-migration") of `connection` (the
    /// migrator's resolved parameters, password included: no second prompt), names it in the
    /// log, and returns its catalog id; otherwise returns empty. A backup that fails or does not
    /// verify throws: the operation stops before anything changed.
    std::function<QString(const QString &what, JobContext &)> preChangeBackupHook(Store &store, const ConnectionProfile &profile,
                                                                                  const ConnectParams &connection,
                                                                                  PreChangeHookOptions options = {});
}
